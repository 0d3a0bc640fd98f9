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
        # --- the forms' labels: fields, groups and the choices content does not name (cucon.bot.texts) ---
        en("label.field.name", "Name"),
        en("label.field.kind", "Kind of profile"),
        en("label.field.cities", "Cities"),
        en("label.field.disciplines", "Disciplines"),
        en("label.field.languages", "Languages you work in"),
        en("label.field.lang", "Language of this text"),
        en("label.field.summary", "Short description"),
        en("label.field.photo", "Photo"),
        en("label.field.photo_alt", "Description of the photo (alternative text)"),
        en("label.field.photo_credit", "Photo credit"),
        en("label.field.about", "About you"),
        en("label.field.looking_for", "You are looking for"),
        en("label.field.website", "Website"),
        en("label.field.instagram", "Instagram"),
        en("label.field.facebook", "Facebook"),
        en("label.field.youtube", "YouTube"),
        en("label.field.vimeo", "Vimeo"),
        en("label.field.soundcloud", "SoundCloud"),
        en("label.field.bandcamp", "Bandcamp"),
        en("label.field.spotify", "Spotify"),
        en("label.field.linkedin", "LinkedIn"),
        en("label.field.tiktok", "TikTok"),
        en("label.field.bluesky", "Bluesky"),
        en("label.field.mastodon", "Mastodon"),
        en("label.field.other_links", "Other links"),
        en("label.field.email", "E-mail address"),
        en("label.field.publish_email", "Show the e-mail address in the profile"),
        en("label.field.consent", "Consent"),
        en("label.field.consent_version", "Version of the consent text"),
        en("label.kind.person", "Person"),
        en("label.kind.ensemble", "Ensemble"),
        en("label.kind.organisation", "Organisation"),
        en("label.kind.venue", "Venue"),
        en("label.kind.initiative", "Initiative"),
        en("label.field.title", "Title"),
        en("label.field.body", "Text"),
        en("label.call.field.kind", "Kind of call"),
        en("label.call.field.summary", "Short description"),
        en("label.call.field.cities", "Cities where it takes place"),
        en("label.news.field.kind", "Kind of item"),
        en("label.news.field.cities", "Cities"),
        en("label.field.organiser_profile", "Profile on CuCon"),
        en("label.field.organiser_name", "Name (without a profile)"),
        en("label.field.open_to_everyone", "Everyone may apply"),
        en("label.field.open_to_cities", "Only from these cities"),
        en("label.field.open_to_countries", "Only from these countries"),
        en("label.field.deadline_date", "Deadline: day"),
        en("label.field.deadline_time", "Deadline: time"),
        en("label.field.opens", "Applications open on"),
        en("label.field.results", "Results on"),
        en("label.field.fee_amount", "Fee: amount"),
        en("label.field.fee_currency", "Fee: currency"),
        en("label.field.covers", "Covered"),
        en("label.field.apply", "How to apply"),
        en("label.field.event_start_date", "Start: day"),
        en("label.field.event_start_time", "Start: time"),
        en("label.field.event_end_date", "End: day"),
        en("label.field.event_end_time", "End: time"),
        en("label.field.event_venue", "Venue"),
        en("label.field.event_address", "Address"),
        en("label.field.event_online", "Online at"),
        en("label.field.image", "Image"),
        en("label.field.image_alt", "Description of the image (alternative text)"),
        en("label.field.image_credit", "Image credit"),
        en("label.group.organiser", "Organiser"),
        en("label.group.open_to", "Who may apply"),
        en("label.group.deadline", "Deadline"),
        en("label.group.fee", "Application fee"),
        en("label.group.event", "Event"),
        en("label.group.image", "Image"),
        en("label.call_kind.open_call", "Open call"),
        en("label.call_kind.cooperation", "Cooperation request"),
        en("label.call_kind.residency", "Residency"),
        en("label.call_kind.funding", "Funding"),
        en("label.call_kind.commission", "Commission"),
        en("label.covers.fee", "Artist fee"),
        en("label.covers.travel", "Travel"),
        en("label.covers.accommodation", "Accommodation"),
        en("label.covers.production", "Production costs"),
        en("label.news_kind.news", "News"),
        en("label.news_kind.event", "Event"),
        en("label.news_kind.cooperation", "Report on a cooperation"),
        en("label.news_kind.knowledge", "Knowledge and experience"),
        # --- the help texts under fields and group legends, a form's own first (cucon.bot.texts) ---
        en("help.name", "How you want to be named, or the group's name."),
        en("help.cities", "One or more."),
        en("help.disciplines", "One or more."),
        en("help.languages", "Optional."),
        en("help.summary", "One or two sentences: what you do."),
        en(
            "help.photo",
            "JPEG, PNG or WebP. All metadata (such as where it was taken) is removed before it is stored.",
        ),
        en("help.photo_alt", "What the photo shows, for people who cannot see it."),
        en("help.photo_credit", "Who took the photo, if they are to be named."),
        en("help.about", "Optional. Separate paragraphs with blank lines."),
        en("help.looking_for", "Optional: partners, spaces, collaborators …"),
        en("help.other_links", "One address a line."),
        en(
            "help.email",
            "Optional. Only for the culture office's questions; it is not published unless you "
            "choose so below.",
        ),
        en(
            "help.email_confirm",
            "We send you a link to confirm the proposal with; only then does it go to the culture"
            " office. The address is not published unless you choose so below.",
        ),
        en(
            "help.consent",
            "I agree that CuCon publishes the details of this form and the photo on its website. "
            "I can withdraw this consent at any time; the profile is then removed. I hold the "
            "rights to the photo, and the people shown agree.",
        ),
        en("help.call.email", "Optional. Only for the culture office's questions; it is not published."),
        en(
            "help.call.email_confirm",
            "We send you a link to confirm the proposal with; only then does it go to the culture"
            " office. The address is not published.",
        ),
        en("help.call.body", "Optional: everything else. Separate paragraphs with blank lines."),
        en("help.news.email", "Optional. Only for the culture office's questions; it is not published."),
        en(
            "help.news.email_confirm",
            "We send you a link to confirm the proposal with; only then does it go to the culture"
            " office. The address is not published.",
        ),
        en("help.news.body", "Optional: everything else. Separate paragraphs with blank lines."),
        en("help.call.title", "At most 150 characters."),
        en("help.call.summary", "One or two sentences: what is offered, and to whom."),
        en("help.call.cities", "One or more."),
        en("help.group.organiser", "Choose a profile or write a name, not both."),
        en("help.group.open_to", "Tick “everyone”, or choose cities and/or countries."),
        en("help.open_to_countries", "Country codes, separated by commas, e.g. DE, PL, JP."),
        en("help.group.deadline", "Local time of the first city. Without a time, 23:59."),
        en("help.opens", "Optional."),
        en("help.results", "Optional."),
        en("help.group.fee", "Only if a fee is charged; without an amount, applying is free."),
        en("help.fee_currency", "A code such as EUR, GBP, PLN, JPY."),
        en("help.covers", "Optional."),
        en("help.apply", "An https address or an e-mail address."),
        en(
            "help.call.consent",
            "I agree that CuCon publishes the details of this form on its website, and I may "
            "publish this call (myself or on behalf of its organiser). I can withdraw this "
            "consent at any time; the call is then removed.",
        ),
        en("help.news.title", "At most 150 characters."),
        en("help.news.summary", "One or two sentences: what it is about."),
        en("help.news.cities", "One or more; a report on a cooperation names at least two."),
        en("help.news.disciplines", "Optional."),
        en(
            "help.group.event",
            "Only for an event, then with its start (day and time, local time of the first city).",
        ),
        en("help.event_online", "Optional: an https address."),
        en("help.image", "Optional. JPEG, PNG or WebP. All metadata is removed before it is stored."),
        en("help.image_alt", "What the image shows, for people who cannot see it (needed with an image)."),
        en("help.image_credit", "Who made the image, if named."),
        en(
            "help.news.consent",
            "I agree that CuCon publishes the details of this form and the image on its website. "
            "I can withdraw this consent at any time; the item is then removed. I hold the rights"
            " to the image, and the people shown agree.",
        ),
        # --- the service's pages: update and withdraw (cucon.bot.texts.EDIT_TEXT) ---
        en("page.edit_link_intro", "With this link you can update or withdraw your entry later:"),
        en(
            "page.edit_link_private",
            "Keep the link safe and do not pass it on: whoever has it can change or withdraw your"
            " entry. It is shown only this once.",
        ),
        en("page.edit_title", "Update or withdraw your entry"),
        en(
            "page.edit_intro",
            "Change the details below and send the form: the culture office looks the change "
            "through, then it appears on the website. A new photo is not needed; without an "
            "upload the old one stays.",
        ),
        en("page.withdraw_offer", "You no longer want to appear on CuCon?"),
        en("page.withdraw_link", "Withdraw the entry"),
        en("page.withdraw_title", "Withdraw the entry"),
        en(
            "page.withdraw_intro",
            "When you confirm, we propose to the culture office to remove your profile, your "
            "photo and every mention of your name from the website. This cannot be undone; you "
            "can sign up anew at any time.",
        ),
        en("page.withdraw_button", "Yes, withdraw the entry"),
        en("page.withdrawn_title", "Withdrawal requested"),
        en(
            "page.withdrawn",
            "The withdrawal is with the culture office; once it takes it over, your entry "
            "disappears from the website. The link then no longer works.",
        ),
        en("page.already_withdrawn", "The withdrawal of this entry has already been requested."),
        en(
            "page.pending_review",
            "Your entry is still being reviewed; you can change it after it is published.",
        ),
        en("page.edit_unknown", "There is no such edit link."),
        en(
            "page.update_thanks",
            "Your update has arrived. The culture office looks it through; only then does it "
            "appear on the website.",
        ),
        en("page.nothing_changed", "You did not change anything."),
    ]
)
"""The English of every text by its id, in the order of the catalogs."""
