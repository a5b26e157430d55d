"""One client of the load run: a person's browser reduced to what the site needs, over plain HTTP/1.1.

It keeps the cookies the site sets (session, CSRF, language), reads the CSRF token and the fields of a
form from the page that shows it, follows no redirect (a redirect after a POST is the site's "saved"),
and sends what a TLS-terminating proxy would (X-Forwarded-Proto: https) plus the Origin a browser sends
with a form. Every request is recorded, with the moment it started, how long it took and its status;
0 stands for no answer at all (refused, reset or timed out).
"""
import http.client
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

SESSION_COOKIE = "sessionid"
NO_ANSWER = 0


@dataclass
class Answer:
    status: int
    body: str = ""
    location: str = ""
    retry_after: str = ""

    @property
    def redirected(self):
        return self.status in (301, 302, 303)

    @property
    def to_sign_in(self):
        return self.redirected and "/accounts/login/" in self.location


@dataclass(frozen=True)
class Record:
    """One request as a client saw it; ``started`` is on the run's monotonic clock, ``seconds`` its duration."""

    kind: str
    status: int
    started: float
    seconds: float
    phase: str = ""
    short_page: bool = True  # for a 503: the site's short page with Retry-After, not a traceback


class Fields(HTMLParser):
    """The values of a page's inputs and textareas by name (the first of each name)."""

    def __init__(self, page):
        super().__init__(convert_charrefs=True)
        self.values, self._textarea = {}, None
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and name not in self.values:
            self.values[name] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values.setdefault(name, "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self.values[self._textarea] += data


class Browser:
    def __init__(self, base_url, records, *, phase=lambda: "", timeout=10, language="de"):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.origin = f"https://{self.host}:{self.port}"
        self.records, self.phase, self.timeout, self.language = records, phase, timeout, language
        self.cookies = {}
        self.connection = None

    def get(self, kind, path):
        return self.request(kind, "GET", path)

    def post(self, kind, path, data, *, referer=None):
        token = self.cookies.get("csrftoken", "")
        form = {**data, "csrfmiddlewaretoken": data.get("csrfmiddlewaretoken", token)}
        return self.request(kind, "POST", path, body=urlencode(form, doseq=True), referer=referer or path)

    def request(self, kind, method, path, *, body=None, referer=None):
        headers = {
            "Host": f"{self.host}:{self.port}", "X-Forwarded-Proto": "https", "Accept-Language": self.language,
            "User-Agent": "Koproduktion load run",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers.update({"Content-Type": "application/x-www-form-urlencoded", "Origin": self.origin,
                            "Referer": self.origin + referer})
        started = time.monotonic()
        try:
            answer = self._send(method, path, body, headers)
        except (OSError, http.client.HTTPException):
            self.close()
            answer = Answer(NO_ANSWER)
        seconds = time.monotonic() - started
        short = answer.status != 503 or (bool(answer.retry_after) and "Traceback" not in answer.body
                                         and len(answer.body) < 5000)
        self.records.append(Record(kind, answer.status, started, seconds, self.phase(), short))
        return answer

    def _send(self, method, path, body, headers):
        while True:
            reused = self.connection is not None
            if not reused:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # A kept connection the server has closed meanwhile is tried again on a new one, as browsers
                # do; a new connection that fails is no answer.
                self.close()
                if not reused:
                    raise
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self._remember(header)
        if response.headers.get("Connection", "").lower() == "close":
            self.close()
        return Answer(response.status, content.decode("utf-8", "replace"), response.headers.get("Location", ""),
                      response.headers.get("Retry-After", ""))

    def _remember(self, header):
        pair, *attributes = [part.strip() for part in header.split(";")]
        name, _, value = pair.partition("=")
        gone = any(a.lower().startswith("max-age=0") or a.lower().startswith("expires=thu, 01 jan 1970")
                   for a in attributes)
        if gone or value in ("", '""'):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def close(self):
        if self.connection is not None:
            try:
                self.connection.close()
            except OSError:
                pass
            self.connection = None

    # --- signing in ------------------------------------------------------------------------

    def sign_in(self, email, password):
        """Through the sign-in page, as a person does: the form (for its CSRF token), then the POST."""
        self.cookies.pop(SESSION_COOKIE, None)
        page = self.get("sign in (form)", "/accounts/login/")
        if page.status != 200:
            return False
        token = Fields(page.body).values.get("csrfmiddlewaretoken", "")
        answer = self.post("sign in", "/accounts/login/", {"login": email, "password": password,
                                                           "csrfmiddlewaretoken": token},
                           referer="/accounts/login/")
        return answer.redirected and not answer.to_sign_in and SESSION_COOKIE in self.cookies

    def use_session(self, session_key):
        """Takes on a session that already exists in the database (as if signed in earlier)."""
        self.cookies[SESSION_COOKIE] = session_key
