"""The German and English words of the submission forms: labels, help texts and the consent text.

Keys are the ``label`` of each :class:`~cucon.bot.submission.FormField` and
:class:`~cucon.bot.submission.Choice` (``field.name``, ``kind.person`` …); a key without an entry
here is shown as the field's name, and a test checks that none is missing.
"""

from __future__ import annotations

LABELS: dict[str, tuple[str, str]] = {
    "field.name": ("Name", "Name"),
    "field.kind": ("Art des Profils", "Kind of profile"),
    "field.cities": ("Städte", "Cities"),
    "field.disciplines": ("Sparten", "Disciplines"),
    "field.languages": ("Sprachen, in denen Sie arbeiten", "Languages you work in"),
    "field.lang": ("Sprache dieses Textes", "Language of this text"),
    "field.summary": ("Kurzbeschreibung", "Short description"),
    "field.photo": ("Foto", "Photo"),
    "field.photo_alt": ("Bildbeschreibung (Alternativtext)", "Description of the photo (alternative text)"),
    "field.photo_credit": ("Bildnachweis", "Photo credit"),
    "field.about": ("Über Sie", "About you"),
    "field.looking_for": ("Sie suchen", "You are looking for"),
    "field.website": ("Website", "Website"),
    "field.instagram": ("Instagram", "Instagram"),
    "field.facebook": ("Facebook", "Facebook"),
    "field.youtube": ("YouTube", "YouTube"),
    "field.vimeo": ("Vimeo", "Vimeo"),
    "field.soundcloud": ("SoundCloud", "SoundCloud"),
    "field.bandcamp": ("Bandcamp", "Bandcamp"),
    "field.spotify": ("Spotify", "Spotify"),
    "field.linkedin": ("LinkedIn", "LinkedIn"),
    "field.tiktok": ("TikTok", "TikTok"),
    "field.bluesky": ("Bluesky", "Bluesky"),
    "field.mastodon": ("Mastodon", "Mastodon"),
    "field.other_links": ("Weitere Links", "Other links"),
    "field.email": ("E-Mail-Adresse", "E-mail address"),
    "field.publish_email": ("E-Mail-Adresse im Profil zeigen", "Show the e-mail address in the profile"),
    "field.consent": ("Einwilligung", "Consent"),
    "field.consent_version": ("Version des Einwilligungstextes", "Version of the consent text"),
    "kind.person": ("Person", "Person"),
    "kind.ensemble": ("Ensemble", "Ensemble"),
    "kind.organisation": ("Organisation", "Organisation"),
    "kind.venue": ("Spielstätte", "Venue"),
    "kind.initiative": ("Initiative", "Initiative"),
}
"""German and English label of each field and of the choices that content does not name."""

HELP: dict[str, tuple[str, str]] = {
    "name": (
        "Wie Sie genannt werden möchten, oder der Name der Gruppe.",
        "How you want to be named, or the group's name.",
    ),
    "cities": ("Eine oder mehrere.", "One or more."),
    "disciplines": ("Eine oder mehrere.", "One or more."),
    "languages": ("Optional.", "Optional."),
    "summary": ("Ein, zwei Sätze: was Sie machen.", "One or two sentences: what you do."),
    "photo": (
        "JPEG, PNG oder WebP. Vor dem Speichern werden alle Metadaten entfernt (z. B. der Aufnahmeort).",
        "JPEG, PNG or WebP. All metadata (such as where it was taken) is removed before it is stored.",
    ),
    "photo_alt": (
        "Was auf dem Foto zu sehen ist, für Menschen, die es nicht sehen können.",
        "What the photo shows, for people who cannot see it.",
    ),
    "photo_credit": (
        "Wer das Foto gemacht hat, falls genannt werden soll.",
        "Who took the photo, if they are to be named.",
    ),
    "about": (
        "Optional. Absätze durch Leerzeilen trennen.",
        "Optional. Separate paragraphs with blank lines.",
    ),
    "looking_for": ("Optional: Partner, Räume, Mitwirkende …", "Optional: partners, spaces, collaborators …"),
    "other_links": ("Eine Adresse je Zeile.", "One address a line."),
    "email": (
        "Optional. Nur für Rückfragen des Kulturbüros; sie wird nicht veröffentlicht, außer Sie wählen das unten.",
        "Optional. Only for the culture office's questions; it is not published unless you choose so below.",
    ),
    "email_confirm": (
        "Wir schicken Ihnen einen Link, mit dem Sie den Vorschlag bestätigen; erst dann geht er an das "
        "Kulturbüro. Die Adresse wird nicht veröffentlicht, außer Sie wählen das unten.",
        "We send you a link to confirm the proposal with; only then does it go to the culture office. The "
        "address is not published unless you choose so below.",
    ),
    "consent": (
        "Ich willige ein, dass CuCon die Angaben dieses Formulars und das Foto auf der Website veröffentlicht. "
        "Ich kann die Einwilligung jederzeit widerrufen; dann wird das Profil entfernt. Ich habe die Rechte "
        "am Foto, und abgebildete Personen sind einverstanden.",
        "I agree that CuCon publishes the details of this form and the photo on its website. I can withdraw "
        "this consent at any time; the profile is then removed. I hold the rights to the photo, and the "
        "people shown agree.",
    ),
}
"""German and English help text under a field, by field name; the consent text is that of version 1.
``email_confirm`` stands in for ``email`` when the e-mail check is on (CUCON_BOT_SMTP_HOST)."""


def label(key: str, lang: str) -> str:
    """The label of a key in a language; the key's last part when there is none."""
    pair = LABELS.get(key)
    if pair is None:
        return key.rpartition(".")[2]
    return pair[0] if lang == "de" else pair[1]


def help_text(name: str, lang: str) -> str | None:
    """The help text under a field, or None."""
    pair = HELP.get(name)
    if pair is None:
        return None
    return pair[0] if lang == "de" else pair[1]


def choice_name(choice, lang: str) -> str:
    """The name of a choice in a language: from content or CLDR when it has one, else from the labels."""
    named = choice.de if lang == "de" else choice.en
    return named or label(choice.label, lang)


EDIT_TEXT: dict[str, dict[str, str]] = {
    "de": {
        "edit_link_intro": "Mit diesem Link können Sie Ihren Eintrag später ändern oder zurückziehen:",
        "edit_link_private": (
            "Bewahren Sie den Link gut auf und geben Sie ihn nicht weiter: Wer ihn hat, kann Ihren Eintrag "
            "ändern oder zurückziehen. Er wird nur dieses eine Mal angezeigt."
        ),
        "edit_title": "Ihren Eintrag ändern oder zurückziehen",
        "edit_intro": (
            "Ändern Sie unten die Angaben und senden Sie das Formular: Das Kulturbüro sieht die Änderung "
            "durch, dann erscheint sie auf der Website. Ein neues Foto ist nicht nötig; ohne Upload bleibt "
            "das bisherige."
        ),
        "withdraw_offer": "Sie möchten nicht mehr bei CuCon erscheinen?",
        "withdraw_link": "Eintrag zurückziehen",
        "withdraw_title": "Eintrag zurückziehen",
        "withdraw_intro": (
            "Wenn Sie bestätigen, schlagen wir dem Kulturbüro vor, Ihr Profil, Ihr Foto und jede Erwähnung "
            "Ihres Namens von der Website zu entfernen. Das lässt sich nicht rückgängig machen; Sie können "
            "sich aber jederzeit neu eintragen."
        ),
        "withdraw_button": "Ja, Eintrag zurückziehen",
        "withdrawn_title": "Rücknahme angefordert",
        "withdrawn": (
            "Die Rücknahme ist beim Kulturbüro; sobald es sie übernimmt, verschwindet Ihr Eintrag von der "
            "Website. Der Link gilt danach nicht mehr."
        ),
        "already_withdrawn": "Die Rücknahme dieses Eintrags ist bereits angefordert.",
        "pending_review": (
            "Ihr Eintrag wird noch geprüft; Sie können ihn ändern, sobald er veröffentlicht ist."
        ),
        "edit_unknown": "Diesen Bearbeitungslink gibt es nicht.",
        "update_thanks": (
            "Ihre Änderung ist angekommen. Das Kulturbüro sieht sie durch; erst danach erscheint sie auf "
            "der Website."
        ),
        "nothing_changed": "Sie haben nichts geändert.",
    },
    "en": {
        "edit_link_intro": "With this link you can update or withdraw your entry later:",
        "edit_link_private": (
            "Keep the link safe and do not pass it on: whoever has it can change or withdraw your entry. "
            "It is shown only this once."
        ),
        "edit_title": "Update or withdraw your entry",
        "edit_intro": (
            "Change the details below and send the form: the culture office looks the change through, then "
            "it appears on the website. A new photo is not needed; without an upload the old one stays."
        ),
        "withdraw_offer": "You no longer want to appear on CuCon?",
        "withdraw_link": "Withdraw the entry",
        "withdraw_title": "Withdraw the entry",
        "withdraw_intro": (
            "When you confirm, we propose to the culture office to remove your profile, your photo and every "
            "mention of your name from the website. This cannot be undone; you can sign up anew at any time."
        ),
        "withdraw_button": "Yes, withdraw the entry",
        "withdrawn_title": "Withdrawal requested",
        "withdrawn": (
            "The withdrawal is with the culture office; once it takes it over, your entry disappears from "
            "the website. The link then no longer works."
        ),
        "already_withdrawn": "The withdrawal of this entry has already been requested.",
        "pending_review": "Your entry is still being reviewed; you can change it after it is published.",
        "edit_unknown": "There is no such edit link.",
        "update_thanks": (
            "Your update has arrived. The culture office looks it through; only then does it appear on the "
            "website."
        ),
        "nothing_changed": "You did not change anything.",
    },
}
"""The words of the edit and withdraw pages, merged into the app's page texts."""
