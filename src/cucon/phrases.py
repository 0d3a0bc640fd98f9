"""Every user-facing text's id and its English: the msgctxt and msgid of the ``cucon`` catalogs, beside
the problem codes of :mod:`cucon.codes`.

An id names where a text is shown: ``mail.*`` the confirmation mail, ``label.*`` and ``help.*`` the
forms' labels and help texts (the keys of :mod:`cucon.bot.texts`), ``page.*`` the service's pages
(:mod:`cucon.bot.pagetext`), ``summary.*`` the summary of a pull request, ``links.*`` and ``report.*``
the link and maintenance reports, ``pr.*`` and ``issue.*`` the service's pull requests and issue
comments, ``erasure.*`` what ``cucon remove`` writes into content. Each text is written out whole (the
extraction reads string literals only); a ``{name}`` in it is filled with :meth:`str.format`. ``make
messages`` extracts this table with :data:`cucon.codes.ENGLISH` into ``src/cucon/locale/cucon.pot``;
:func:`cucon.catalog.phrase` gives a text in a language.
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
        # --- the owners' mails (cucon.bot.ownership) ---
        en("mail.links.subject", "Your link to update or withdraw your CuCon profile"),
        en(
            "mail.links.intro",
            "You asked for a link to update or withdraw your profile on CuCon. Here it is, one for each "
            "profile of this e-mail address; each works once, for 24 hours:",
        ),
        en(
            "mail.links.then",
            "Do not pass it on: whoever has it can change your profile. Did you not ask for it? Then there "
            "is nothing you need to do: this mail went to you alone.",
        ),
        en("mail.owner.subject", "Please confirm: your profile on CuCon"),
        en(
            "mail.owner.ask",
            "The culture office wants to record this e-mail address as the owner of a profile on CuCon. "
            "Please confirm that the profile is yours: open this link and press “Confirm” there.",
        ),
        en(
            "mail.owner.then",
            "Then you can ask for a link to update or withdraw the profile at any time. The link works "
            "for 7 days. Is the profile not yours? Then there is nothing you need to do.",
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
        en("label.field.award_amount", "Money offered: amount"),
        en("label.field.award_currency", "Money offered: currency"),
        en("label.field.award_kind", "Money offered: what it is"),
        en("label.group.award", "Money offered"),
        en("label.award_kind.fee", "Fee or commission"),
        en("label.award_kind.grant", "Grant or stipend"),
        en("label.award_kind.prize", "Prize"),
        en("label.award_kind.budget", "Budget for the work"),
        en("label.award_kind.in_kind", "In kind (its value)"),
        en(
            "help.group.award",
            "What the people selected receive, per person or project; the most, if it varies.",
        ),
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
        en("label.field.offers", "What you offer others"),
        en("label.field.seeks", "What you are looking for"),
        en("label.call.field.offers", "What the call offers"),
        en("label.offer.residency", "Residency"),
        en("label.offer.commission", "Commission"),
        en("label.offer.venue", "Venue or space"),
        en("label.offer.co-production", "Co-production"),
        en("label.offer.workshop", "Workshop or teaching"),
        en("label.offer.showcase", "Chance to perform or exhibit"),
        en("label.offer.funding", "Funding"),
        en("label.offer.mentoring", "Mentoring"),
        en("label.offer.partner", "Partner to work with"),
        en("label.offer.recording", "Recording or production"),
        en("label.offer.touring", "Touring"),
        en("label.offer.translation", "Translation"),
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
        en("help.offers", "Optional: tick what you can offer; people who look for it will find you."),
        en("help.seeks", "Optional: tick what you look for; calls and people that offer it will find you."),
        en("help.call.offers", "Optional: tick what the call gives; people who look for it will find it."),
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
        # --- the service's pages: forms, spam check, thanks, errors, confirmation (cucon.bot.pagetext) ---
        en("page.title_profile", "Join CuCon: new profile"),
        en(
            "page.intro_profile",
            "With this form you propose a profile for the CuCon network. The culture office looks it "
            "through and publishes it; until then it is not shown on the website.",
        ),
        en("page.title_call", "New call"),
        en(
            "page.intro_call",
            "With this form you propose an open call, a cooperation request, a residency, funding or a "
            "commission for CuCon. The culture office looks it through and publishes it; until then it is "
            "not shown on the website.",
        ),
        en("page.title_news", "News or event tip"),
        en(
            "page.intro_news",
            "With this form you propose news, an event, a report on a cooperation or a knowledge post for "
            "CuCon. The culture office looks it through and publishes it; until then it is not shown on the "
            "website.",
        ),
        en("page.required", "required"),
        en("page.choose", "– please choose –"),
        en("page.send", "Send"),
        en(
            "page.noscript",
            "This form needs JavaScript for its spam check (a small puzzle solved in your browser, with no "
            "third-party service). Please turn on JavaScript for this page, or write to the culture office.",
        ),
        en("page.pow_working", "Spam check running …"),
        en("page.pow_wait", "One moment: the spam check is nearly done, then the form is sent."),
        en("page.pow_done", "Spam check done."),
        en("page.pow_failed", "The spam check failed. Please reload the page."),
        en("page.problems", "Please look at the marked fields:"),
        en("page.photo_again", "Please choose the photo again: for your safety it is not kept."),
        en("page.image_again", "Please choose the image again: for your safety it is not kept."),
        en(
            "page.spam_check",
            "The spam check did not work out (the form was sent too quickly or twice, or the check had not "
            "finished). Please send it again.",
        ),
        en("page.honeypot", "Please leave this field empty"),
        en("page.thanks_title", "Thank you!"),
        en(
            "page.thanks",
            "Your proposal has arrived. The culture office looks it through; only then does it appear on "
            "the website. There is nothing more you need to do.",
        ),
        en("page.back", "To the website"),
        en("page.too_large", "The submission is too large. Photos and images may be at most {limit} MB."),
        en("page.forbidden", "This form can only be sent from the CuCon website."),
        en(
            "page.too_many",
            "Too many submissions from your connection. Please try again in {minutes} minutes.",
        ),
        en(
            "page.too_many_requests",
            "Too many requests from your connection. Please try again in {minutes} minutes.",
        ),
        en(
            "page.pending_contact",
            "Proposals from this e-mail address are already waiting for confirmation. Please confirm them "
            "first with the links in our mails (look in the spam folder too).",
        ),
        en(
            "page.pending_network",
            "Many proposals from your connection are already waiting for confirmation. Please confirm them "
            "first with the links in our mails, or try again later.",
        ),
        en("page.bad_request", "The submission could not be read. Please send the form again."),
        en(
            "page.not_utf8",
            "A text did not arrive as UTF-8 and could not be read; nothing was stored. Please type it again "
            "in the form.",
        ),
        en("page.not_found", "There is no such page."),
        en("page.error_title", "That did not work"),
        en("page.unavailable", "The service is not taking submissions right now. Please try again later."),
        en(
            "page.thanks_mail",
            "Your proposal has arrived. Please look in your mailbox: we have sent you a link. Only when you "
            "open it and confirm does the proposal go to the culture office. The link works for 7 days. No "
            "mail? Look in the spam folder too.",
        ),
        en("page.confirm_title", "Confirm your e-mail address"),
        en(
            "page.confirm_intro",
            "Press “Confirm” to send your proposal to the culture office. Did you not send anything? Then "
            "just close this page.",
        ),
        en("page.confirm_button", "Confirm"),
        en("page.confirmed_title", "Confirmed, thank you!"),
        en(
            "page.confirmed",
            "Your e-mail address is confirmed, and your proposal is with the culture office. It looks it "
            "through; only then does it appear on the website. There is nothing more you need to do.",
        ),
        en(
            "page.confirm_unknown",
            "This confirmation link does not exist (any more). Links work for 7 days; after that the "
            "proposal is deleted. Please send the form again.",
        ),
        en("page.skip_link", "Skip to main content"),
        # --- the service's pages: an organiser's approval link (cucon.bot.routes.approval) ---
        en("page.approval_title", "A call in your name"),
        en(
            "page.approval_intro",
            "This call names your profile “{profile}” as its organiser. Below is what would be "
            "published, exactly as it was sent. Look at the links in particular.",
        ),
        en("page.approval_organiser", "Organiser"),
        en("page.approval_cities", "Cities"),
        en("page.approval_deadline", "Deadline"),
        en("page.approval_apply", "Apply at"),
        en("page.approval_links", "Every link in this call"),
        en(
            "page.approval_choose",
            "Approve it, and it goes to the culture office for review. Decline it, and it is deleted "
            "at once and never published.",
        ),
        en("page.approval_approve", "Approve"),
        en("page.approval_decline", "Decline"),
        en(
            "page.approval_unknown",
            "This approval link does not exist (any more). Links work for 7 days; after that the call "
            "is deleted.",
        ),
        en(
            "page.approval_approved",
            "Thank you: you approved the call. It goes to the culture office, which looks it through "
            "before it appears on the website.",
        ),
        en("page.approval_declined", "You declined the call. It is deleted and will not be published."),
        en(
            "page.approval_already_approved",
            "You already approved this call; it can no longer be declined here.",
        ),
        en("page.approval_already_declined", "You already declined this call; it is deleted."),
        en(
            "page.confirmed_organiser",
            "Your call names a profile as its organiser: it goes to the culture office only once the "
            "profile's owner agrees. If they do not within 7 days, it is deleted.",
        ),
        en("page.languages", "Language"),
        # --- the service's pages: update and withdraw ---
        en("page.manage_title", "Edit or withdraw my profile"),
        en(
            "page.manage_intro",
            "Enter the e-mail address you confirmed for your profile. If a profile belongs to it, we send "
            "a private link to that address; the link works once, for 24 hours.",
        ),
        en("page.manage_address", "Your e-mail address"),
        en("page.manage_button", "Send me the link"),
        en(
            "page.manage_sent",
            "If this address owns a profile, a link is on its way. Please look in your mailbox, and in the "
            "spam folder too. No mail within an hour? Then no profile belongs to this address: please write "
            "to the culture office.",
        ),
        en("page.edit_gone_title", "This link no longer works"),
        en(
            "page.edit_gone",
            "Links to update or withdraw a profile now go by e-mail to the profile's owner only, and each "
            "works once, for 24 hours. This one was used, has run out, or was given out before. Ask for a "
            "new one with the e-mail address you confirmed for your profile:",
        ),
        en("page.owner_title", "Is this profile yours?"),
        en(
            "page.owner_intro",
            "The culture office wants to record this e-mail address as the owner of a profile on CuCon. "
            "With it you can ask for a link to update or withdraw the profile at any time. Press "
            "“Confirm” if the profile is yours; otherwise just close this page.",
        ),
        en("page.owner_button", "Confirm"),
        en(
            "page.owner_done",
            "Thank you: this address is now recorded as the profile's owner. To update or withdraw the "
            "profile, ask for a link here:",
        ),
        en(
            "page.owner_unknown",
            "This confirmation link does not exist (any more). Links work for 7 days; please ask the "
            "culture office for a new one.",
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
        # --- the service's landing page, a section in each language (templates/index.html) ---
        en("page.landing_title", "Join"),
        en("page.landing_heading", "Join CuCon"),
        en("page.landing_language", "English"),
        en(
            "page.landing_intro",
            "Here you propose a profile, a call or news for the international cultural network CuCon, "
            "with no account and no technical knowledge. Your proposal is reviewed before it appears on "
            "the website.",
        ),
        en("page.landing_profile", "Propose a new profile"),
        en("page.landing_profile_note", "(with a photo)"),
        en("page.landing_call", "Propose a new call"),
        en(
            "page.landing_call_note",
            "(open call, cooperation request, residency, funding, commission)",
        ),
        en("page.landing_news", "Propose news or an event tip"),
        en(
            "page.landing_edit",
            "To update or withdraw a published profile, ask for a private link; it goes to the e-mail "
            "address you confirmed for the profile:",
        ),
        # --- the summary of a pull request (cucon.review.pr_summary) ---
        en("summary.title", "What this pull request changes"),
        en("summary.no-changes", "No changes to content."),
        en("summary.duplicates", "Possible duplicates"),
        en("summary.hints-only", "Hints only; they block nothing."),
        en("summary.no-hints", "No hints."),
        en("summary.technical", "Technical changes"),
        en("summary.technical-note", "These files are not content: please ask a developer to review them."),
        en("summary.check-note", "Whether all content is valid is shown by the check step (cucon check)."),
        en("summary.new.profile", "New profile"),
        en("summary.new.call", "New call"),
        en("summary.new.news", "New news item"),
        en("summary.new.event", "New event"),
        en("summary.new.page", "New page"),
        en("summary.new.city", "New city"),
        en("summary.new.network", "New network"),
        en("summary.new.translation", "New translation"),
        en("summary.new.image", "New image"),
        en("summary.new.other", "New file"),
        en("summary.changed.profile", "Changed profile"),
        en("summary.changed.call", "Changed call"),
        en("summary.changed.news", "Changed news item"),
        en("summary.changed.event", "Changed event"),
        en("summary.changed.page", "Changed page"),
        en("summary.changed.city", "Changed city"),
        en("summary.changed.network", "Changed network"),
        en("summary.changed.translation", "Changed translation"),
        en("summary.changed.image", "Changed image"),
        en("summary.changed.other", "Changed file"),
        en("summary.renamed.profile", "Renamed profile"),
        en("summary.renamed.call", "Renamed call"),
        en("summary.renamed.news", "Renamed news item"),
        en("summary.renamed.event", "Renamed event"),
        en("summary.renamed.page", "Renamed page"),
        en("summary.renamed.city", "Renamed city"),
        en("summary.renamed.network", "Renamed network"),
        en("summary.renamed.translation", "Renamed translation"),
        en("summary.renamed.image", "Renamed image"),
        en("summary.renamed.other", "Renamed file"),
        en("summary.deleted.profile", "Deleted profile"),
        en("summary.deleted.call", "Deleted call"),
        en("summary.deleted.news", "Deleted news item"),
        en("summary.deleted.event", "Deleted event"),
        en("summary.deleted.page", "Deleted page"),
        en("summary.deleted.city", "Deleted city"),
        en("summary.deleted.network", "Deleted network"),
        en("summary.deleted.translation", "Deleted translation"),
        en("summary.deleted.image", "Deleted image"),
        en("summary.deleted.other", "Deleted file"),
        en("summary.status.added", "added"),
        en("summary.status.copied", "copied"),
        en("summary.status.changed", "changed"),
        en("summary.status.deleted", "deleted"),
        en("summary.renamed-from", "renamed from"),
        en("summary.unreadable", "Cannot be read"),
        en("summary.translation-of", "({lang}) of {title}"),
        en("summary.new-address", "new address"),
        en("summary.changed-fields", "changed: {fields}"),
        en("summary.layout-only", "file layout only"),
        en(
            "summary.deleted-without-remove",
            "deleted with git rm, not `cucon remove`: no entry in removed.yaml marks its address as gone",
        ),
        en("summary.placeholder", "still has a placeholder of `cucon new` (summary or photo description)"),
        en("summary.consent", "consent v{version}"),
        en("summary.no-consent", "no consent"),
        en("summary.deadline", "deadline {deadline}"),
        en("summary.photo.none", "no photo"),
        en("summary.photo.size", "photo {size}"),
        en("summary.photo.missing", "photo missing ({name})"),
        en("summary.photo.unusable", "photo unusable ({name})"),
        en("summary.image.none", "no image"),
        en("summary.image.size", "image {size}"),
        en("summary.image.missing", "image missing ({name})"),
        en("summary.image.unusable", "image unusable ({name})"),
        en("summary.disciplines", "Changed list of disciplines — {change}"),
        en("summary.disciplines-added", "new: {slugs}"),
        en("summary.disciplines-removed", "removed: {slugs}"),
        en("summary.disciplines-names", "names"),
        en("summary.similar-name", "similar name in {cities} to {other}"),
        en("summary.same-website", "same website as {other}: {url}"),
        # --- the link report and the maintenance report (cucon.review.links, cucon.review.staleness) ---
        en("links.none", "No new links."),
        en("links.column.file", "File"),
        en("links.column.field", "Field"),
        en("links.column.result", "Result"),
        en(
            "links.broken",
            "{broken} of {checked} links are broken or unreachable. This blocks nothing; please check them.",
        ),
        en("links.all-work", "All {count} links work."),
        en("links.skipped", "{count} example address(es) not checked."),
        en("links.unreachable", "unreachable"),
        en("report.title", "Maintenance report"),
        en("report.consent", "consent"),
        en("report.profiles.heading", "Profiles not updated for two years"),
        en("report.profiles.note", "Last change: `updated`, else the consent date."),
        en("report.profiles.when", "Last change"),
        en("report.calls.heading", "Calls to archive"),
        en(
            "report.calls.note",
            "Every call has a deadline, the schema requires one; listed are those whose deadline "
            "passed more than a year ago.",
        ),
        en("report.calls.when", "Deadline"),
        en("report.news.heading", "News to archive"),
        en("report.news.note", "Older than two years, and any event has ended."),
        en("report.news.when", "Date"),
        en("report.none", "None."),
        en("report.column.title", "Title"),
        en("report.column.file", "File"),
        en(
            "report.problems",
            "{count} problem(s) in the content; invalid files are missing here, `cucon check` shows them.",
        ),
        en("summary.file-missing", "missing"),
        en("summary.not-utf8", "not UTF-8 text"),
        en("summary.line", "line"),
        # --- `cucon summary`: a call's organiser and the links a change adds (cucon.review.pr_summary) ---
        en("summary.organiser-profile", "Organiser: profile {profile}"),
        en("summary.organiser-name", "Organiser: {name} (no profile)"),
        en("summary.profiles-named", "Profiles named: {profiles}"),
        en("summary.no-such-profile", "no such profile"),
        en("summary.new-link", "New link: {url}"),
        # --- the service's pull requests and issue comments (cucon.bot.spool, edit, submission, issueform) ---
        en("pr.kind.profile", "New profile"),
        en("pr.kind.call", "New call"),
        en("pr.kind.news", "New news item"),
        en("pr.kind.update", "Update"),
        en("pr.kind.withdraw", "Withdrawal"),
        en("pr.kind.other", "New entry"),
        en("pr.submitted", "Submitted through the form of the CuCon submission service (`cucon bot`)."),
        en("pr.edit-link", "Asked for with the entry's private edit link."),
        en("pr.email-verified", "E-mail verified"),
        en("pr.email-not-verified", "E-mail not verified"),
        en(
            "pr.no-mail",
            "The service runs without sending mail and has not checked the address; get in touch "
            "before merging if needed.",
        ),
        en("pr.files", "Files"),
        en("pr.permanent-id", "Permanent id"),
        en("pr.branch", "Branch"),
        en("pr.changed-fields", "Changed fields"),
        en("pr.check-by-hand", "place(s) to check by hand"),
        en("pr.withdrawal", "Withdrawal through the edit link, with `cucon remove`."),
        en("pr.consent", "Consent"),
        en("pr.form", "form"),
        # --- calls in a profile's name: the pull request, the owner's mail and page (cucon.bot.approval) ---
        en("pr.organiser-confirmed", "Organiser confirmed"),
        en("pr.organiser-unconfirmed", "Organiser not confirmed"),
        en(
            "pr.organiser-ask",
            "The call names a profile as its organiser, and nobody with that profile's mailbox has "
            "confirmed it (no owner on record, or it came through an issue form); ask the organiser "
            "before merging.",
        ),
        en("approval.subject", "Please confirm: a call in your name on CuCon"),
        en("approval.hello", "Hello,"),
        en(
            "approval.ask",
            "someone sent a call through the CuCon form that names your profile “{profile}” as its "
            "organiser. It is published only if you agree.",
        ),
        en("approval.title", "Its title, as the person who sent it typed it:"),
        en("approval.link", "Open this link to see the whole call and to approve or decline it:"),
        en(
            "approval.then",
            "If you do not answer within {days} days, the call is deleted and not published. If you "
            "decline, it is deleted at once; the sender is not told who declined.",
        ),
        en(
            "approval.why",
            "You get this mail because you confirmed this address as the owner of the profile. The "
            "sender's address is not passed on to you, nor yours to them.",
        ),
        en("issue.thanks", "Thank you! This became a pull request for the culture office to review: {url}"),
        en(
            "issue.problems",
            'Thank you! The entry cannot be taken over like this yet. Please edit this issue ("…"'
            ' → "Edit") and correct:',
        ),
        en(
            "issue.unknown-form",
            "Thank you! This issue matches none of our forms; please use one of them (New issue).",
        ),
        en("issue.updated", "Thank you! The pull request now holds this issue's content: {url}"),
        en("issue.from", "From issue"),
        en(
            "issue.checks-failed",
            "The checks (`cucon/checks`) failed on this commit; resolve before merging.",
        ),
        # --- the newsletter by e-mail: its mails (cucon.bot.newsletter) and pages (cucon.bot.routes.newsletter) ---
        en("newsletter.subject", "CuCon: the week from {start} to {end}"),
        en("newsletter.section_news", "News"),
        en("newsletter.section_events", "Upcoming events"),
        en("newsletter.section_calls", "New open calls"),
        en("newsletter.section_closing", "Closing soon"),
        en("newsletter.section_profiles", "New profiles"),
        en("newsletter.deadline", "Deadline:"),
        en(
            "newsletter.why",
            "You get this mail because you subscribed to the CuCon newsletter and confirmed your address.",
        ),
        en("newsletter.change", "Change what you receive:"),
        en("newsletter.unsubscribe", "Unsubscribe (your address is then deleted):"),
        en("newsletter.confirm_subject", "Please confirm: the CuCon newsletter"),
        en(
            "newsletter.confirm_ask",
            "Someone asked for the weekly CuCon newsletter to be sent to this address, or to change what it "
            "brings. If it was you, open this link and press “Subscribe” there.",
        ),
        en(
            "newsletter.confirm_then",
            "The link works for {days} days. Was it not you? Then do nothing: this address gets no newsletter.",
        ),
        en("page.newsletter_title", "The newsletter by e-mail"),
        en(
            "page.newsletter_intro",
            "Choose cities, disciplines and what you want to hear about, and give your e-mail address. Every "
            "week you get one mail with what is new; every mail has a link to unsubscribe.",
        ),
        en("page.newsletter_cities", "Cities"),
        en("page.newsletter_disciplines", "Disciplines (none ticked: all)"),
        en("page.newsletter_kinds", "What you want to receive"),
        en("page.newsletter_kind_news", "News"),
        en("page.newsletter_kind_events", "Events"),
        en("page.newsletter_kind_calls", "Open calls"),
        en("page.newsletter_kind_profiles", "New profiles"),
        en("page.newsletter_email", "Your e-mail address"),
        en("page.newsletter_subscribe", "Subscribe"),
        en(
            "page.newsletter_invalid",
            "Please tick at least one city and one kind from the lists, and give a valid e-mail address.",
        ),
        en("page.newsletter_thanks_title", "Please look in your mailbox"),
        en(
            "page.newsletter_thanks",
            "If this address can receive mail, a link is on its way. Only when you open it and confirm does "
            "the newsletter start, or your new choice apply. The link works for 7 days.",
        ),
        en("page.newsletter_confirm_title", "Confirm your subscription"),
        en(
            "page.newsletter_confirm_intro",
            "Press “Subscribe” to receive the newsletter with the choice you made.",
        ),
        en("page.newsletter_confirmed", "Thank you! The newsletter now comes to your mailbox every week."),
        en(
            "page.newsletter_unknown",
            "This link does not exist (any more). Please subscribe again on the newsletter page.",
        ),
        en("page.newsletter_unsubscribe_title", "Unsubscribe from the newsletter"),
        en(
            "page.newsletter_unsubscribe_intro",
            "Press “Unsubscribe” to stop the newsletter. Your address is then deleted.",
        ),
        en("page.newsletter_unsubscribe_button", "Unsubscribe"),
        en("page.newsletter_unsubscribed", "You are unsubscribed, and your address is deleted."),
        en("page.newsletter_change_title", "Change your newsletter"),
        en("page.newsletter_change_button", "Save"),
        en("page.newsletter_changed", "Saved: the next newsletter follows your new choice."),
        en("page.newsletter_off", "The newsletter by e-mail is not offered by this service."),
        # --- what `cucon remove` writes into content, in the language of the text (cucon.erasure) ---
        en("erasure.placeholder", "[removed]"),
        en("erasure.organiser", "A member of the network"),
        # --- contact without a public address (cucon.bot.contact, cucon.bot.routes.contact) ---
        en("label.field.contact", "How people can write to you"),
        en("label.contact.form", "Through the CuCon form (your address stays private)"),
        en("label.contact.email", "To the e-mail address shown in the profile"),
        en("label.contact.none", "Not at all"),
        en(
            "help.contact",
            "With the form, people write to you through CuCon; your address stays hidden until you reply.",
        ),
        en("page.contact_title", "Write to {name}"),
        en(
            "page.contact_intro",
            "Your message goes to {name} through CuCon; their address stays private. First we send you a "
            "mail: only when you confirm your own address does the message go out. The reply comes to your "
            "address.",
        ),
        en("page.contact_field_name", "Your name"),
        en("page.contact_field_address", "Your e-mail address"),
        en("page.contact_field_subject", "Subject"),
        en("page.contact_field_message", "Message"),
        en(
            "page.contact_message_help",
            "Plain text, at most {limit} characters: links and markup arrive as typed, never as a page.",
        ),
        en("page.contact_required", "Please fill in this field."),
        en("page.contact_too_long", "This is too long; please shorten it."),
        en("page.contact_one_line", "Please write this in one line."),
        en("page.contact_control", "This contains an invisible control character; please remove it."),
        en("page.contact_not_address", "Please give one e-mail address, like name@example.org."),
        en("page.contact_unreachable", "This person cannot be written to here."),
        en(
            "page.contact_sender_limit",
            "You have sent as many messages today as one address may. Please try again tomorrow.",
        ),
        en(
            "page.contact_recipient_limit",
            "This person has received as many messages today as they can. Please try again tomorrow.",
        ),
        en(
            "page.contact_thanks",
            "Please look in your mailbox: we have sent you a link. Only when you open it and confirm does "
            "your message go out. The link works for 2 days; after that the message is deleted.",
        ),
        en("page.contact_confirm_title", "Send your message"),
        en(
            "page.contact_confirm_intro",
            "Press “Send” to send your message. Did you not write anything? Then just close this page: the "
            "message is deleted after 2 days.",
        ),
        en("page.contact_confirm_button", "Send"),
        en("page.contact_sent_title", "Sent, thank you!"),
        en(
            "page.contact_sent",
            "Your message is on its way. We delete it and your address as soon as it is sent. A reply comes"
            " straight from the person, to your address.",
        ),
        en(
            "page.contact_confirm_unknown",
            "This link does not exist (any more). Links work once, for 2 days; after that the message is "
            "deleted.",
        ),
        en("page.contact_report_title", "Report a message"),
        en(
            "page.contact_report_intro",
            "Staff of the culture office get the message's reference, and the sender cannot write to you "
            "through CuCon for 180 days. CuCon no longer has the message: if staff should read it, paste it"
            " below; otherwise leave the field empty.",
        ),
        en("page.contact_report_note", "The message (optional)"),
        en("page.contact_report_button", "Report"),
        en("page.contact_reported_title", "Reported, thank you"),
        en("page.contact_reported", "The culture office has your report."),
        en(
            "page.contact_report_unknown",
            "This link does not exist (any more). Report links work for 30 days.",
        ),
        en("mail.contact_confirm_subject", "Please confirm: your message through CuCon"),
        en(
            "mail.contact_confirm",
            "A message was written through the CuCon contact form with this e-mail address as the sender. "
            "Please confirm that it was you: open this link and press “Send” there. The link works for "
            "{hours} hours; after that the message is deleted.",
        ),
        en(
            "mail.contact_not_you",
            "Was it not you? Then there is nothing you need to do, and nothing is sent.",
        ),
        en("mail.contact_subject", "Message through CuCon"),
        en(
            "mail.contact_frame",
            "{name} <{address}> wrote to you through the contact form of CuCon. CuCon checked only that the"
            " address is theirs, not what they wrote. Your address stays hidden from them until you reply.",
        ),
        en(
            "mail.contact_reply",
            "To answer, reply to this mail: the reply goes to the sender. CuCon has erased the message and "
            "the sender's address.",
        ),
        en("mail.contact_report", "Is this message abusive? Report it to the culture office:"),
        en("mail.contact_begin", "Message sent through CuCon"),
        en("mail.contact_end", "End of the message"),
        en("mail.contact_subject_line", "Subject"),
        en("mail.contact_abuse_subject", "Contact form: report of abuse {ref}"),
        en(
            "mail.contact_abuse",
            "An owner reported the message {ref} to the profile {permanent_id}. Its sender cannot write to "
            "this owner through CuCon for 180 days.",
        ),
        en("mail.contact_abuse_no_text", "The owner gave no text of the message."),
        en("page.upload_limit", "At most {limit} MB."),
        en("page.upload_too_large", "This file is larger than {limit} MB. Please choose a smaller one."),
        en(
            "page.too_large_again",
            "Nothing was received: the submission was larger than {limit} MB. Please fill in the form again "
            "and choose a photo or image of at most {limit} MB.",
        ),
        en("page.privacy_link", "How CuCon handles your data: privacy policy"),
        en("label.field.sort_as", "Name in Latin letters (for the A–Z list)"),
        en(
            "help.sort_as",
            "Only needed if the name is not written in Latin letters, e.g. Aioi Sound Lab for 相生サウンドラボ: "
            "the A–Z list files the name under it.",
        ),
        en("label.field.sort_as_asked", "Name the form asked the Latin letters for"),
        # --- the preview of `make serve` (cucon.preview) ---
        en("preview.indexing", "The search index is being rebuilt: results may still show the old pages."),
        en("preview.problems", "The build stopped on these problems. Fix them and save to build again:"),
    ]
)
"""The English of every text by its id, in the order of the catalogs."""
