"""The texts of the service's pages, in German and English (the forms' labels and help: texts.py)."""

from __future__ import annotations

from cucon.bot.texts import EDIT_TEXT

LANGS = ("de", "en")

TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title_profile": "Bei CuCon mitmachen: neues Profil",
        "intro_profile": (
            "Mit diesem Formular schlagen Sie ein Profil für das Netzwerk CuCon vor. Das Kulturbüro sieht "
            "es durch und schaltet es frei; bis dahin ist es nicht auf der Website zu sehen."
        ),
        "title_call": "Neue Ausschreibung",
        "intro_call": (
            "Mit diesem Formular schlagen Sie eine Ausschreibung, ein Kooperationsgesuch, eine Residenz, "
            "eine Förderung oder einen Auftrag für CuCon vor. Das Kulturbüro sieht sie durch und schaltet "
            "sie frei; bis dahin ist sie nicht auf der Website zu sehen."
        ),
        "title_news": "Neuigkeit oder Veranstaltungstipp",
        "intro_news": (
            "Mit diesem Formular schlagen Sie eine Neuigkeit, eine Veranstaltung, einen Bericht über eine "
            "Kooperation oder einen Wissensbeitrag für CuCon vor. Das Kulturbüro sieht ihn durch und "
            "schaltet ihn frei; bis dahin ist er nicht auf der Website zu sehen."
        ),
        "required": "Pflichtfeld",
        "choose": "– bitte wählen –",
        "send": "Absenden",
        "noscript": (
            "Dieses Formular braucht JavaScript für seine Spam-Prüfung (eine kleine Rechenaufgabe im "
            "Browser, ohne Dienste Dritter). Bitte schalten Sie JavaScript für diese Seite ein, oder "
            "schreiben Sie dem Kulturbüro."
        ),
        "pow_working": "Spam-Prüfung läuft …",
        "pow_wait": "Einen Moment noch: die Spam-Prüfung ist gleich fertig, dann wird das Formular gesendet.",
        "pow_done": "Spam-Prüfung fertig.",
        "pow_failed": "Die Spam-Prüfung ist fehlgeschlagen. Bitte laden Sie die Seite neu.",
        "problems": "Bitte prüfen Sie die markierten Felder:",
        "photo_again": "Wählen Sie das Foto bitte noch einmal aus: aus Sicherheitsgründen wird es nicht behalten.",
        "image_again": "Wählen Sie das Bild bitte noch einmal aus: aus Sicherheitsgründen wird es nicht behalten.",
        "spam_check": (
            "Die Spam-Prüfung hat nicht geklappt (das Formular wurde zu schnell oder doppelt gesendet, "
            "oder die Prüfung war nicht fertig). Bitte senden Sie es noch einmal."
        ),
        "honeypot": "Dieses Feld bitte leer lassen",
        "thanks_title": "Vielen Dank!",
        "thanks": (
            "Ihr Vorschlag ist angekommen. Das Kulturbüro sieht ihn durch; erst danach erscheint er auf "
            "der Website. Sie müssen nichts weiter tun."
        ),
        "back": "Zur Website",
        "other_lang": "English",
        "too_large": "Die Einsendung ist zu groß. Fotos und Bilder dürfen höchstens {limit} MB groß sein.",
        "forbidden": "Dieses Formular kann nur von der CuCon-Website aus gesendet werden.",
        "too_many": "Zu viele Einsendungen von Ihrem Anschluss. Bitte versuchen Sie es in {minutes} Minuten wieder.",
        "too_many_requests": "Zu viele Aufrufe von Ihrem Anschluss. Bitte versuchen Sie es in {minutes} Minuten wieder.",
        "pending_contact": (
            "Unter dieser E-Mail-Adresse warten schon Vorschläge auf ihre Bestätigung. Bitte bestätigen Sie "
            "sie zuerst mit den Links aus unseren E-Mails (sehen Sie auch im Spam-Ordner nach)."
        ),
        "pending_network": (
            "Von Ihrem Anschluss warten schon viele Vorschläge auf ihre Bestätigung. Bitte bestätigen Sie "
            "sie zuerst mit den Links aus unseren E-Mails, oder versuchen Sie es später wieder."
        ),
        "bad_request": "Die Einsendung konnte nicht gelesen werden. Bitte senden Sie das Formular noch einmal.",
        "not_utf8": (
            "Ein Text kam nicht als UTF-8 an und konnte nicht gelesen werden; nichts wurde gespeichert. "
            "Bitte geben Sie ihn im Formular noch einmal ein."
        ),
        "not_found": "Diese Seite gibt es nicht.",
        "error_title": "Das hat nicht geklappt",
        "unavailable": "Der Dienst nimmt gerade keine Einsendungen an. Bitte versuchen Sie es später wieder.",
        "thanks_mail": (
            "Ihr Vorschlag ist angekommen. Bitte sehen Sie in Ihr E-Mail-Postfach: Wir haben Ihnen einen "
            "Link geschickt. Erst wenn Sie ihn öffnen und bestätigen, geht der Vorschlag an das Kulturbüro. "
            "Der Link gilt 7 Tage. Keine E-Mail da? Sehen Sie auch im Spam-Ordner nach."
        ),
        "confirm_title": "E-Mail-Adresse bestätigen",
        "confirm_intro": (
            "Drücken Sie auf „Bestätigen“, damit Ihr Vorschlag an das Kulturbüro geht. Haben Sie nichts "
            "eingereicht? Dann schließen Sie diese Seite einfach."
        ),
        "confirm_button": "Bestätigen",
        "confirmed_title": "Bestätigt, vielen Dank!",
        "confirmed": (
            "Ihre E-Mail-Adresse ist bestätigt, und Ihr Vorschlag ist beim Kulturbüro. Es sieht ihn durch; "
            "erst danach erscheint er auf der Website. Sie müssen nichts weiter tun."
        ),
        "confirm_unknown": (
            "Diesen Bestätigungslink gibt es nicht (mehr). Links gelten 7 Tage; danach wird der Vorschlag "
            "gelöscht. Bitte senden Sie das Formular noch einmal."
        ),
    },
    "en": {
        "title_profile": "Join CuCon: new profile",
        "intro_profile": (
            "With this form you propose a profile for the CuCon network. The culture office looks it "
            "through and publishes it; until then it is not shown on the website."
        ),
        "title_call": "New call",
        "intro_call": (
            "With this form you propose an open call, a cooperation request, a residency, funding or a "
            "commission for CuCon. The culture office looks it through and publishes it; until then it is "
            "not shown on the website."
        ),
        "title_news": "News or event tip",
        "intro_news": (
            "With this form you propose news, an event, a report on a cooperation or a knowledge post for "
            "CuCon. The culture office looks it through and publishes it; until then it is not shown on "
            "the website."
        ),
        "required": "required",
        "choose": "– please choose –",
        "send": "Send",
        "noscript": (
            "This form needs JavaScript for its spam check (a small puzzle solved in your browser, with "
            "no third-party service). Please turn on JavaScript for this page, or write to the culture office."
        ),
        "pow_working": "Spam check running …",
        "pow_wait": "One moment: the spam check is nearly done, then the form is sent.",
        "pow_done": "Spam check done.",
        "pow_failed": "The spam check failed. Please reload the page.",
        "problems": "Please look at the marked fields:",
        "photo_again": "Please choose the photo again: for your safety it is not kept.",
        "image_again": "Please choose the image again: for your safety it is not kept.",
        "spam_check": (
            "The spam check did not work out (the form was sent too quickly or twice, or the check had not "
            "finished). Please send it again."
        ),
        "honeypot": "Please leave this field empty",
        "thanks_title": "Thank you!",
        "thanks": (
            "Your proposal has arrived. The culture office looks it through; only then does it appear on "
            "the website. There is nothing more you need to do."
        ),
        "back": "To the website",
        "other_lang": "Deutsch",
        "too_large": "The submission is too large. Photos and images may be at most {limit} MB.",
        "forbidden": "This form can only be sent from the CuCon website.",
        "too_many": "Too many submissions from your connection. Please try again in {minutes} minutes.",
        "too_many_requests": "Too many requests from your connection. Please try again in {minutes} minutes.",
        "pending_contact": (
            "Proposals from this e-mail address are already waiting for confirmation. Please confirm them "
            "first with the links in our mails (look in the spam folder too)."
        ),
        "pending_network": (
            "Many proposals from your connection are already waiting for confirmation. Please confirm them "
            "first with the links in our mails, or try again later."
        ),
        "bad_request": "The submission could not be read. Please send the form again.",
        "not_utf8": (
            "A text did not arrive as UTF-8 and could not be read; nothing was stored. "
            "Please type it again in the form."
        ),
        "not_found": "There is no such page.",
        "error_title": "That did not work",
        "unavailable": "The service is not taking submissions right now. Please try again later.",
        "thanks_mail": (
            "Your proposal has arrived. Please look in your mailbox: we have sent you a link. Only when you "
            "open it and confirm does the proposal go to the culture office. The link works for 7 days. "
            "No mail? Look in the spam folder too."
        ),
        "confirm_title": "Confirm your e-mail address",
        "confirm_intro": (
            "Press “Confirm” to send your proposal to the culture office. Did you not send anything? Then "
            "just close this page."
        ),
        "confirm_button": "Confirm",
        "confirmed_title": "Confirmed, thank you!",
        "confirmed": (
            "Your e-mail address is confirmed, and your proposal is with the culture office. It looks it "
            "through; only then does it appear on the website. There is nothing more you need to do."
        ),
        "confirm_unknown": (
            "This confirmation link does not exist (any more). Links work for 7 days; after that the "
            "proposal is deleted. Please send the form again."
        ),
    },
}


for _code in LANGS:
    TEXT[_code] |= EDIT_TEXT[_code]
