"""The one shape of a refusal: every service raises a DomainError (or a subclass of its app's),
and views, admin and API present it the same way (see coproduction.web and coproduction.admin_tools)."""


class DomainError(Exception):
    """A change the rules refuse; the translated message is shown to the person.

    ``field_errors`` maps form field names to messages when the refusal is about fields, so a form
    can show each message at its field; ``field=`` is the short form for one field.
    """

    def __init__(self, message, field_errors=None, *, field=None):
        super().__init__(message)
        if field is not None and not field_errors:
            field_errors = {field: [message]}
        self.field_errors = {
            name: [str(text) for text in (texts if isinstance(texts, (list, tuple)) else [texts])]
            for name, texts in (field_errors or {}).items()
        }

    @property
    def message(self):
        return str(self.args[0]) if self.args else ""

    @property
    def field(self):
        """The first field the refusal is about, or None when it is about the whole change."""
        return next(iter(self.field_errors), None)

    def add_to_form(self, form):
        """Shows the refusal on ``form``: at each field it names that the form has, else above the form."""
        placed = False
        for name, texts in self.field_errors.items():
            if name in form.fields:
                for text in texts:
                    form.add_error(name, text)
                placed = True
        if not placed:
            form.add_error(None, self.message)


class NotPermitted(DomainError):
    """The person may not do this at all (as opposed to: not now, or not like this)."""
