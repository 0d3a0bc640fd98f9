"""Problems in the language of a form or an issue comment, for the submission service.

The validator (:mod:`cucon.schema`, :mod:`cucon.content`, :mod:`cucon.checks`,
:mod:`cucon.images`) and the form checks of :mod:`cucon.bot.submission` give each problem a code and
values; its English sentence is what CI's annotations show. A form shows the sentence of the code in
the form's language from the catalogs (:mod:`cucon.catalog`), filled with the same values (a file
name or an entered text stays as it was). A problem whose sentence is untranslated is shown in
English, marked ``lang="en"``; ``tests/test_bot_messages.py`` makes every problem the forms can
produce come out German on a German form, so none is left in English, and
``tests/test_bot_languages.py`` the call form's problems in French, Polish and Japanese on those forms.
One set of catalogs serves every language of the service (:data:`cucon.bot.languages.LANGS`); there
is no pattern per language.
"""

from __future__ import annotations

from dataclasses import dataclass

from cucon.catalog import Worded, sentence, text_of


@dataclass(frozen=True)
class Message:
    """A message in one language, and that language (for ``lang`` where it is not the page's)."""

    text: str
    lang: str

    def __str__(self) -> str:
        return self.text


def in_language(problem: Worded, lang: str) -> Message:
    """A problem for a page in ``lang``: its sentence in that language where translated, else English.

    >>> from cucon.problems import ContentProblem
    >>> required = ContentProblem.of("", 1, "title", "required")
    >>> in_language(required, "de"), in_language(required, "en")
    (Message(text='Dieses Feld ist erforderlich.', lang='de'), Message(text='this field is required', lang='en'))
    >>> in_language(required, "ja")
    Message(text='この項目は必須です。', lang='ja')
    """
    return Message(*text_of(problem, lang))


def both(problem: Worded) -> str:
    """A problem in German and English, for a comment that both read: ``German / English``.

    >>> from cucon.problems import ContentProblem
    >>> both(ContentProblem.of("", 1, "name", "empty"))
    'Darf nicht leer sein. / must not be empty'
    """
    german = sentence(problem.code, problem.values, "de") if problem.code else None
    return f"{german} / {problem.message}" if german else problem.message
