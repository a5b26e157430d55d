"""Names of the demo organisations and people that seed_demo creates; the apps' demo data uses them."""

LINDENHOF = "nachbarschaftszentrum-lindenhof"
BRUECKENSCHLAG = "jugendhilfe-brueckenschlag"
FULDAUFER = "pflegeverein-fuldaufer"
LICHTBLICK = "beratungsstelle-lichtblick"

MIRIAM, JONAS, ELIF, SARAH = ("miriam.koch@demo.example", "jonas.weber@demo.example",
                              "elif.yilmaz@demo.example", "sarah.brandt@demo.example")
HANS, AYLIN, LENA, KARL = ("hans.lehmann@demo.example", "aylin.demir@demo.example",
                           "lena.schubert@demo.example", "karl.fischer@demo.example")
GRETE, TOM, NADIA = "grete.meyer@demo.example", "tom.becker@demo.example", "nadia.haddad@demo.example"

# Who answers for each organisation.
STAFF = {LINDENHOF: MIRIAM, BRUECKENSCHLAG: JONAS, FULDAUFER: ELIF, LICHTBLICK: SARAH}
