"""Mixed traffic from many clients at once, each a thread with a browser of its own, until a deadline.

Most clients are visitors who browse: the home page, the proposal list in its orders, filtered and
searched, proposal pages, the site search, tasks, the wiki, the budget and the matrix. The others are
members, each acting as people of their own (no two clients share a person): one signs in through the
sign-in page now and then, otherwise takes on a session that exists in the database, and between pages
supports proposals, comments, signs up for shifts, fills and confirms a ballot and edits wiki pages, each
the way a person does (the page with the form first, then the POST). What the site confirmed (its
redirect after a POST) is written down in ``Confirmed``, so that the checks can find each of it in the
database afterwards.
"""
import random
import threading
import time
import traceback
from dataclasses import dataclass, field
from urllib.parse import quote

from .browser import Browser, Fields
from .world import PASSWORD

ORDERS = ["newest", "supported", "discussed", "active"]
# What a member does next, by weight: browsing in between, as people do.
MEMBER_ACTIONS = {"browse": 30, "support": 20, "comment": 15, "sign_up": 15, "ballot": 8, "wiki_save": 12}
PEOPLE_PER_SESSION = 12  # actions before a member client moves on to its next person
SIGN_IN_BY_FORM = 0.3  # how often a member client takes its next person through the sign-in page


@dataclass
class Confirmed:
    """What the site told a client it has saved, appended to from many threads (list.append is atomic)."""

    supports: list = field(default_factory=list)  # (person, proposal)
    comments: list = field(default_factory=list)  # (person, proposal, text)
    sign_ups: list = field(default_factory=list)  # (person, shift)
    ballots: list = field(default_factory=list)  # (person, entry ids)
    wiki_saves: list = field(default_factory=list)  # (person, space slug, page slug, summary)

    def counts(self):
        return {name: len(getattr(self, name)) for name in ("supports", "comments", "sign_ups", "ballots",
                                                            "wiki_saves")}


class Traffic:
    """The clients of a run: ``clients`` threads, ``members`` of them signed in."""

    def __init__(self, world, base_url, *, clients=32, members=10, seed=7):
        self.world, self.base_url = world, base_url
        self.clients, self.members, self.seed = clients, min(members, clients), seed
        self.records, self.confirmed = [], Confirmed()
        self.failures = []  # a client that stopped on an exception of its own: a fault of the run, not the site
        self.phase = ""
        self._stop = threading.Event()
        # Each member client's people and what they did, kept across phases.
        self._people = [[PersonState(p) for p in world.people[number::self.members]]
                        for number in range(self.members)]
        self._rounds = 0

    def run(self, seconds, *, phase, during=None):
        """Runs every client for ``seconds``; ``during(started)`` runs meanwhile in this thread (a fault).

        Returns the records of this run. Clients finish the request they are in; a client still busy
        ``seconds + 15`` s after the start is left to end on its own socket timeout.
        """
        self.phase, self._rounds = phase, self._rounds + 1
        self._stop.clear()
        deadline = time.monotonic() + seconds
        first = len(self.records)
        threads = [threading.Thread(target=self._client, args=(number, deadline), daemon=True,
                                    name=f"client-{number}") for number in range(self.clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        try:
            if during is not None:
                during(started)
            while time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(timeout=max(1, deadline + 15 - time.monotonic()))
        return self.records[first:]

    # --- the clients -----------------------------------------------------------------------

    def _client(self, number, deadline):
        chance = random.Random(self.seed * 1000 + self._rounds * 100 + number)
        browser = Browser(self.base_url, self.records, phase=lambda: self.phase)
        try:
            if number < self.members:
                self._member(number, browser, chance, deadline)
            else:
                while time.monotonic() < deadline and not self._stop.is_set():
                    self._browse(browser, chance)
        except Exception:  # noqa: BLE001 - reported with the phase's violations instead of ending silently
            self.failures.append(f"client {number} in {self.phase}: {traceback.format_exc(limit=3)}")
        finally:
            browser.close()

    def _member(self, number, browser, chance, deadline):
        people = self._people[number]
        person, done = None, 0
        while time.monotonic() < deadline and not self._stop.is_set():
            if person is None or done >= PEOPLE_PER_SESSION:
                person, done = people[chance.randrange(len(people))], 0
                if chance.random() < SIGN_IN_BY_FORM:
                    if not browser.sign_in(person.email, PASSWORD):
                        person = None
                        continue
                else:
                    browser.use_session(person.session_key)
            action = chance.choices(list(MEMBER_ACTIONS), weights=list(MEMBER_ACTIONS.values()))[0]
            signed_out = getattr(self, f"_{action}")(browser, chance, person) if action != "browse" else \
                self._browse(browser, chance)
            done += 1
            if signed_out:
                person = None  # the site no longer knows the session: sign in again

    def _browse(self, browser, chance):
        world = self.world
        kind = chance.choices(
            ["home", "list", "list filtered", "list search", "proposal", "site search", "tasks", "task",
             "wiki", "wiki page", "budget", "matrix"],
            weights=[8, 14, 6, 5, 20, 5, 6, 8, 3, 10, 4, 3])[0]
        word = quote(chance.choice(world.words))
        space, page = chance.choice(world.wiki_pages)
        path = {
            "home": "/",
            "list": f"/proposals/?ordering={chance.choice(ORDERS)}" + (f"&page={chance.randrange(2, 6)}"
                                                                      if chance.random() < 0.3 else ""),
            "list filtered": f"/proposals/?organisation={chance.choice(world.organisations)}&status=published",
            "list search": f"/proposals/?q={word}",
            "proposal": f"/proposals/{chance.choice(world.proposals)}/",
            "site search": f"/search/?q={word}",
            "tasks": "/tasks/",
            "task": f"/tasks/{chance.choice(world.tasks)}/",
            "wiki": "/wiki/",
            "wiki page": f"/wiki/{space}/{page}/",
            "budget": f"/budgets/{world.budget_slug}/",
            "matrix": "/coproduction/",
        }[kind]
        answer = browser.get(f"page: {kind}", path)
        return answer.to_sign_in

    def _support(self, browser, chance, person):
        candidates = [pk for pk in chance.sample(self.world.proposals, 5) if pk not in person.supported]
        if not candidates:
            return False
        proposal = candidates[0]

        def confirmed():
            person.supported.add(proposal)
            self.confirmed.supports.append((person.pk, proposal))

        return self._act(browser, ("page: proposal", f"/proposals/{proposal}/"),
                         ("support", f"/proposals/{proposal}/support/", {}), confirmed)

    def _comment(self, browser, chance, person):
        proposal = chance.choice(self.world.proposals)
        person.written += 1
        text = f"Lastlauf {self.phase}: {chance.choice(self.world.words)} finde ich gut ({person.pk}-{person.written})."
        return self._act(browser, ("page: proposal", f"/proposals/{proposal}/"),
                         ("comment", f"/proposals/{proposal}/comments/", {"text": text}),
                         lambda: self.confirmed.comments.append((person.pk, proposal, text)))

    def _sign_up(self, browser, chance, person):
        index = chance.randrange(len(self.world.shifts))
        shift = self.world.shifts[index]
        if shift in person.shifts:
            return False
        task = self.world.tasks[index % len(self.world.tasks)]

        def confirmed():
            person.shifts.add(shift)
            self.confirmed.sign_ups.append((person.pk, shift))

        return self._act(browser, ("page: task", f"/tasks/{task}/"),
                         ("sign-up", f"/tasks/shifts/{shift}/sign-up/", {}), confirmed)

    @staticmethod
    def _act(browser, page, action, confirmed):
        """Opens the page, sends the action from it and calls ``confirmed`` when the site confirmed it.

        True when the site asked to sign in (the session was lost), like every action of a member.
        """
        page_kind, page_path = page
        if browser.get(page_kind, page_path).status != 200:
            return False
        kind, path, data = action
        answer = browser.post(kind, path, data, referer=page_path)
        if answer.redirected and not answer.to_sign_in:
            confirmed()
        return answer.to_sign_in

    def _ballot(self, browser, chance, person):
        if person.voted:
            return False
        slug = self.world.budget_slug
        page = browser.get("page: ballot", f"/budgets/{slug}/ballot/")
        if page.status != 200:
            return False
        picks, total = [], 0
        for entry, cost in chance.sample(self.world.entries, len(self.world.entries)):
            if total + cost <= self.world.budget_total and len(picks) < 5:
                picks.append(entry)
                total += cost
        saved = browser.post("ballot: save", f"/budgets/{slug}/ballot/", {"entries": picks},
                             referer=f"/budgets/{slug}/ballot/")
        if not saved.redirected or saved.to_sign_in:
            return saved.to_sign_in
        answer = browser.post("ballot: confirm", f"/budgets/{slug}/ballot/confirm/", {},
                              referer=f"/budgets/{slug}/ballot/")
        if answer.redirected and not answer.to_sign_in:
            person.voted = True
            self.confirmed.ballots.append((person.pk, tuple(sorted(picks))))
        elif answer.status == 400:
            person.voted = True  # confirmed in an earlier try whose answer never arrived, or refused for good
        return answer.to_sign_in

    def _wiki_save(self, browser, chance, person):
        space, page = chance.choice(self.world.wiki_pages)
        address = f"/wiki/{space}/{page}/edit/"
        form = browser.get("page: wiki edit", address)
        if form.status != 200:
            return form.to_sign_in
        fields = Fields(form.body).values
        person.written += 1
        summary = f"Lastlauf {person.pk}-{person.written}"
        answer = browser.post("wiki save", address, {
            "csrfmiddlewaretoken": fields.get("csrfmiddlewaretoken", ""), "title": fields.get("title", ""),
            "text": fields.get("text", "").rstrip() + f"\n\nErgänzt von {summary}.\n", "summary": summary,
            "base_revision": fields.get("base_revision", ""),
        }, referer=address)
        if answer.redirected and not answer.to_sign_in:
            self.confirmed.wiki_saves.append((person.pk, space, page, summary))
        return answer.to_sign_in


class PersonState:
    """One person a member client acts as, and what they already did (so the client asks sensibly)."""

    def __init__(self, person):
        self.pk, self.email, self.session_key = person.pk, person.email, person.session_key
        self.supported, self.shifts = set(), set()
        self.voted, self.written = False, 0
