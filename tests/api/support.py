"""Reading the API in tests: JSON in, (response, data) out."""


def get(client, url, params=None, **headers):
    """GET ``url`` as a program would (Accept: JSON); data is None when the answer is not JSON."""
    response = client.get(url, params or {}, HTTP_ACCEPT="application/json", **headers)
    return response, (response.json() if response["Content-Type"].startswith("application/json") else None)


def ids(data):
    return [row["id"] for row in data["results"]]
