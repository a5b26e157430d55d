"""Nothing private leaves through the API, whoever asks: every endpoint of the schema is walked,
every list page and every object's detail, as an anonymous visitor, as a member, as staff and as
a platform operator."""
import re

import pytest

from tests.api.world import build_world

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
PHONE = re.compile(r"0170 555")
PARAMETER = re.compile(r"\{[^}]+\}")


def walk(client):
    """{url: body} of every list page and every detail the schema offers."""
    schema = client.get("/api/schema/?format=json").json()
    bodies, ids = {}, {}
    for path in (p for p in schema["paths"] if "{" not in p):
        url = f"{path}?page_size=100"
        while url:
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code == 200, url
            bodies[url] = response.content.decode()
            data = response.json()
            if not isinstance(data, dict) or "results" not in data:
                break
            ids.setdefault(path, []).extend(row["id"] for row in data["results"])
            url = data["next"]
    for path in (p for p in schema["paths"] if "{" in p):
        collection = path.split("{", 1)[0]
        assert len(PARAMETER.findall(path)) == 1, f"{path}: the walk knows one identifier per address"
        assert ids.get(collection), f"{path}: no object to walk in {collection}"
        for identifier in ids[collection]:
            url = PARAMETER.sub(str(identifier), path)
            response = client.get(url, HTTP_ACCEPT="application/json")
            assert response.status_code in (200, 404), url
            bodies[url] = response.content.decode()
    return bodies


@pytest.mark.parametrize("role", ["anonymous", "member", "staff", "author", "volunteer", "operator"])
def test_no_endpoint_shows_private_data_to_anyone(client, role, superuser):
    people, public = build_world()
    if role == "operator":
        client.force_login(superuser)
    elif role != "anonymous":
        client.force_login(people[role])
    bodies = walk(client)
    everything = "\n".join(bodies.values())
    for marker in public:  # the walk reached the data
        assert marker in everything, f"{marker!r} is public but appears nowhere in the API"
    for url, body in bodies.items():
        assert "SECRET" not in body, f"{url} shows private data: ...{body[body.find('SECRET') - 80:][:200]}"
        assert not EMAIL.search(body), f"{url} shows an email address: {EMAIL.search(body).group()}"
        assert not PHONE.search(body), f"{url} shows a phone number"
    assert people["author"].display_name not in everything


def test_everyone_gets_the_same_answers(client, superuser):
    people, _ = build_world()
    anonymous = walk(client)
    client.force_login(people["staff"])
    assert walk(client) == anonymous
