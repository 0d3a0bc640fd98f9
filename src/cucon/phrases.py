"""Every user-facing text's id and its English: the msgctxt and msgid of the ``cucon`` catalogs, beside
the problem codes of :mod:`cucon.codes`.

An id names where a text is shown: ``mail.*`` the confirmation mail, ``label.*`` and ``help.*`` the
forms' labels and help texts (the keys of :mod:`cucon.bot.texts`), ``page.*`` the service's pages. Each
text is written out whole (the extraction reads string literals only); a ``{name}`` in it is filled
with :meth:`str.format`. ``make messages`` extracts this table with :data:`cucon.codes.ENGLISH` into
``src/cucon/locale/cucon.pot``; :func:`cucon.catalog.phrase` gives a text in a language.
"""

from __future__ import annotations

from cucon.codes import en

PHRASES: dict[str, str] = dict(
    [
        # --- the confirmation mail (cucon.bot.mail) ---
        en("mail.subject", "Please confirm: your proposal for CuCon"),
        en("mail.hello", "Hello,"),
        en(
            "mail.ask",
            "A proposal was sent with this e-mail address through the CuCon form. Please confirm "
            "that it was you: open this link and press “Confirm” there.",
        ),
        en(
            "mail.then",
            "Only then does the proposal go to the culture office. The link works for {days} "
            "days; after that the proposal is deleted. Was it not you? Then there is nothing you "
            "need to do.",
        ),
        en("mail.private", "Your e-mail address is not published unless you chose so in the form."),
        en(
            "mail.edit",
            "With this private link you can update or withdraw your entry later. Do not pass it "
            "on: whoever has it can change your entry.",
        ),
    ]
)
"""The English of every text by its id, in the order of the catalogs."""
