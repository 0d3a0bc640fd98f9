"""The German and English words of the submission forms: labels, help texts and the consent text.

Keys are the ``label`` of each :class:`~cucon.bot.submission.FormField` and
:class:`~cucon.bot.submission.Choice` (``field.name``, ``kind.person`` …), and ``group.<name>`` for
the legend of a group of fields. A form's own words come first: ``call.field.title`` before
``field.title``, help ``news.summary`` before ``summary``. A key without an entry here is shown as
the field's name, and a test checks that none is missing.
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
    # the call and news forms
    "field.title": ("Titel", "Title"),
    "field.body": ("Text", "Text"),
    "call.field.kind": ("Art der Ausschreibung", "Kind of call"),
    "call.field.summary": ("Kurzbeschreibung", "Short description"),
    "call.field.cities": ("Städte, in denen es stattfindet", "Cities where it takes place"),
    "news.field.kind": ("Art der Meldung", "Kind of item"),
    "news.field.cities": ("Städte", "Cities"),
    "field.organiser_profile": ("Profil auf CuCon", "Profile on CuCon"),
    "field.organiser_name": ("Name (ohne Profil)", "Name (without a profile)"),
    "field.open_to_everyone": ("Alle können sich bewerben", "Everyone may apply"),
    "field.open_to_cities": ("Nur aus diesen Städten", "Only from these cities"),
    "field.open_to_countries": ("Nur aus diesen Ländern", "Only from these countries"),
    "field.deadline_date": ("Bewerbungsschluss: Tag", "Deadline: day"),
    "field.deadline_time": ("Bewerbungsschluss: Uhrzeit", "Deadline: time"),
    "field.opens": ("Bewerbung möglich ab", "Applications open on"),
    "field.results": ("Ergebnisse am", "Results on"),
    "field.fee_amount": ("Gebühr: Betrag", "Fee: amount"),
    "field.fee_currency": ("Gebühr: Währung", "Fee: currency"),
    "field.covers": ("Übernommen werden", "Covered"),
    "field.apply": ("So bewirbt man sich", "How to apply"),
    "field.event_start_date": ("Beginn: Tag", "Start: day"),
    "field.event_start_time": ("Beginn: Uhrzeit", "Start: time"),
    "field.event_end_date": ("Ende: Tag", "End: day"),
    "field.event_end_time": ("Ende: Uhrzeit", "End: time"),
    "field.event_venue": ("Ort", "Venue"),
    "field.event_address": ("Adresse", "Address"),
    "field.event_online": ("Online unter", "Online at"),
    "field.image": ("Bild", "Image"),
    "field.image_alt": ("Bildbeschreibung (Alternativtext)", "Description of the image (alternative text)"),
    "field.image_credit": ("Bildnachweis", "Image credit"),
    "group.organiser": ("Wer schreibt aus", "Organiser"),
    "group.open_to": ("Wer kann sich bewerben", "Who may apply"),
    "group.deadline": ("Bewerbungsschluss", "Deadline"),
    "group.fee": ("Bewerbungsgebühr", "Application fee"),
    "group.event": ("Veranstaltung", "Event"),
    "group.image": ("Bild", "Image"),
    "call_kind.open_call": ("Offene Ausschreibung", "Open call"),
    "call_kind.cooperation": ("Kooperationsgesuch", "Cooperation request"),
    "call_kind.residency": ("Residenz", "Residency"),
    "call_kind.funding": ("Förderung", "Funding"),
    "call_kind.commission": ("Auftrag", "Commission"),
    "covers.fee": ("Honorar", "Artist fee"),
    "covers.travel": ("Reisekosten", "Travel"),
    "covers.accommodation": ("Unterkunft", "Accommodation"),
    "covers.production": ("Produktionskosten", "Production costs"),
    "news_kind.news": ("Neuigkeit", "News"),
    "news_kind.event": ("Veranstaltung", "Event"),
    "news_kind.cooperation": ("Bericht über eine Kooperation", "Report on a cooperation"),
    "news_kind.knowledge": ("Wissen und Erfahrungen", "Knowledge and experience"),
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
_ENTRY_EMAIL = (
    "Optional. Nur für Rückfragen des Kulturbüros; sie wird nicht veröffentlicht.",
    "Optional. Only for the culture office's questions; it is not published.",
)
_ENTRY_EMAIL_CONFIRM = (
    "Wir schicken Ihnen einen Link, mit dem Sie den Vorschlag bestätigen; erst dann geht er an das "
    "Kulturbüro. Die Adresse wird nicht veröffentlicht.",
    "We send you a link to confirm the proposal with; only then does it go to the culture office. The "
    "address is not published.",
)
for _form in ("call", "news"):
    HELP[f"{_form}.email"] = _ENTRY_EMAIL
    HELP[f"{_form}.email_confirm"] = _ENTRY_EMAIL_CONFIRM
    HELP[f"{_form}.body"] = (
        "Optional: alles Weitere. Absätze durch Leerzeilen trennen.",
        "Optional: everything else. Separate paragraphs with blank lines.",
    )
HELP |= {
    "call.title": ("Höchstens 150 Zeichen.", "At most 150 characters."),
    "call.summary": (
        "Ein, zwei Sätze: was ausgeschrieben ist und für wen.",
        "One or two sentences: what is offered, and to whom.",
    ),
    "call.cities": ("Eine oder mehrere.", "One or more."),
    "group.organiser": (
        "Wählen Sie ein Profil oder schreiben Sie einen Namen, nicht beides.",
        "Choose a profile or write a name, not both.",
    ),
    "group.open_to": (
        "Kreuzen Sie „Alle“ an, oder wählen Sie Städte und/oder Länder.",
        "Tick “everyone”, or choose cities and/or countries.",
    ),
    "open_to_countries": (
        "Ländercodes, durch Kommas getrennt, z. B. DE, PL, JP.",
        "Country codes, separated by commas, e.g. DE, PL, JP.",
    ),
    "group.deadline": (
        "Ortszeit der ersten Stadt. Ohne Uhrzeit gilt 23:59.",
        "Local time of the first city. Without a time, 23:59.",
    ),
    "opens": ("Optional.", "Optional."),
    "results": ("Optional.", "Optional."),
    "group.fee": (
        "Nur wenn eine Gebühr verlangt wird; ohne Betrag ist die Bewerbung kostenlos.",
        "Only if a fee is charged; without an amount, applying is free.",
    ),
    "fee_currency": ("Ein Code wie EUR, GBP, PLN, JPY.", "A code such as EUR, GBP, PLN, JPY."),
    "covers": ("Optional.", "Optional."),
    "apply": (
        "Eine https-Adresse oder eine E-Mail-Adresse.",
        "An https address or an e-mail address.",
    ),
    "call.consent": (
        "Ich willige ein, dass CuCon die Angaben dieses Formulars auf der Website veröffentlicht, und ich "
        "darf diese Ausschreibung veröffentlichen (selbst oder im Auftrag der Ausschreibenden). Ich kann "
        "die Einwilligung jederzeit widerrufen; dann wird die Ausschreibung entfernt.",
        "I agree that CuCon publishes the details of this form on its website, and I may publish this "
        "call (myself or on behalf of its organiser). I can withdraw this consent at any time; the call "
        "is then removed.",
    ),
    "news.title": ("Höchstens 150 Zeichen.", "At most 150 characters."),
    "news.summary": ("Ein, zwei Sätze: worum es geht.", "One or two sentences: what it is about."),
    "news.cities": (
        "Eine oder mehrere; ein Bericht über eine Kooperation nennt mindestens zwei.",
        "One or more; a report on a cooperation names at least two.",
    ),
    "news.disciplines": ("Optional.", "Optional."),
    "group.event": (
        "Nur für eine Veranstaltung, dann mit Beginn (Tag und Uhrzeit, Ortszeit der ersten Stadt).",
        "Only for an event, then with its start (day and time, local time of the first city).",
    ),
    "event_online": ("Optional: eine https-Adresse.", "Optional: an https address."),
    "image": (
        "Optional. JPEG, PNG oder WebP. Vor dem Speichern werden alle Metadaten entfernt.",
        "Optional. JPEG, PNG or WebP. All metadata is removed before it is stored.",
    ),
    "image_alt": (
        "Was auf dem Bild zu sehen ist, für Menschen, die es nicht sehen können (nötig mit Bild).",
        "What the image shows, for people who cannot see it (needed with an image).",
    ),
    "image_credit": ("Wer das Bild gemacht hat, falls genannt.", "Who made the image, if named."),
    "news.consent": (
        "Ich willige ein, dass CuCon die Angaben dieses Formulars und das Bild auf der Website "
        "veröffentlicht. Ich kann die Einwilligung jederzeit widerrufen; dann wird die Meldung entfernt. "
        "Ich habe die Rechte am Bild, und abgebildete Personen sind einverstanden.",
        "I agree that CuCon publishes the details of this form and the image on its website. I can "
        "withdraw this consent at any time; the item is then removed. I hold the rights to the image, "
        "and the people shown agree.",
    ),
}
"""German and English help text under a field, by field name (a form's own first, ``call.summary``),
and under the legend of a group (``group.deadline``); the consent texts are those of version 1.
``email_confirm`` stands in for ``email`` when the e-mail check is on (CUCON_BOT_SMTP_HOST)."""


def label(key: str, lang: str, form: str | None = None) -> str:
    """The label of a key in a language (a form's own first); the key's last part when there is none.

    >>> label("field.kind", "en", "call"), label("field.kind", "en"), label("field.x", "de")
    ('Kind of call', 'Kind of profile', 'x')
    """
    pair = LABELS.get(f"{form}.{key}") or LABELS.get(key)
    if pair is None:
        return key.rpartition(".")[2]
    return pair[0] if lang == "de" else pair[1]


def help_text(name: str, lang: str, form: str | None = None) -> str | None:
    """The help text under a field (a form's own first), or None."""
    pair = HELP.get(f"{form}.{name}") or HELP.get(name)
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
