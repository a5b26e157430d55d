"""{% picture obj.image sizes="…" %}: one <img> with its renditions in srcset (see coproduction.images).

The renditions were made at upload; this only names them, so a page costs no image work and, with
the picture selected along with its object, no query.
"""
from django import template
from django.core.files.storage import default_storage

register = template.Library()

# The rendition a browser without srcset gets: wide enough for a card and a phone.
DEFAULT_WIDTH = 640


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", css_class="", eager=False):
    if image is None:
        return {"image": None}
    renditions = [(width, height, default_storage.url(name)) for width, height, name in image.renditions]
    fallback = next((r for r in renditions if r[0] >= DEFAULT_WIDTH), renditions[-1])
    return {
        "image": image,
        "src": fallback[2],
        "srcset": ", ".join(f"{url} {width}w" for width, _height, url in renditions),
        "sizes": sizes,
        "width": image.width,
        "height": image.height,
        "css_class": css_class,
        "eager": eager,
    }
