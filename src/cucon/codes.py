"""Every problem's code and its English template: the msgctxt and msgid of the ``cucon`` catalogs.

Each template is written out whole (the extraction reads string literals only). A template is a
:meth:`str.format` string filled with the problem's values; a value that is a
:class:`cucon.problems.Term` is itself a code of this table (a word such as "city" or "a GIF") and
is put in the same language as the sentence. The templates the schema raises through pydantic
(:func:`cucon.schema.refuse`) use plain ``{name}`` placeholders only, which pydantic fills too: a
quoted value comes quoted (``repr``) in its value. ``make messages`` extracts this table into
``src/cucon/locale/cucon.pot`` and updates each language's ``cucon.po`` (see docs/content-model.md).
"""

from __future__ import annotations


def en(code: str, template: str) -> tuple[str, str]:
    """One entry of :data:`ENGLISH`; the name is the keyword the extraction looks for (``en:1c,2``)."""
    return code, template


ENGLISH: dict[str, str] = dict(
    [
        # --- one value (cucon.schema; pydantic's own errors, cucon.content) ---
        en("required", "this field is required"),
        en(
            "unknown-key",
            "unknown key '{key}'; check the spelling against the content model (docs/content-model.md)",
        ),
        en("unknown-key-suggests", "unknown key '{key}'; did you mean '{suggestion}'?"),
        en(
            "pelican-key",
            "'{key}' is a Pelican control key and is not allowed in content files: paths and templates are set "
            "by the site, never by a content file",
        ),
        en("not-one-of", "{value} is not allowed; expected one of {expected}"),
        en("needs-an-entry", "needs at least {limit} entry"),
        en("too-few-entries", "needs at least {limit} entries"),
        en("too-many-entries", "has too many entries; at most {limit}"),
        en("invalid-value", "{detail}"),
        en("not-text", "expected text"),
        en("empty", "must not be empty"),
        en("not-one-line", "must be a single line"),
        en("no-visible-letter", "has no visible letter or digit; write it in letters"),
        en("too-long", "is {length} characters long; at most {limit} allowed"),
        en("too-short", "is too short; at least {limit} characters"),
        en(
            "control-character",
            "contains a control character ({code_point}) at position {position}; remove it",
        ),
        en(
            "bidi-control",
            "contains a bidirectional control character ({code_point}) at position {position}; remove it",
        ),
        en(
            "line-separator",
            "contains a line or paragraph separator ({code_point}) at position {position}; remove it",
        ),
        en(
            "filler-character",
            "contains an invisible filler character ({code_point}) at position {position}; remove it",
        ),
        en("tag-character", "contains a tag character ({code_point}) at position {position}; remove it"),
        en("soft-hyphen", "contains a soft hyphen ({code_point}) at position {position}; remove it"),
        en(
            "format-character",
            "contains an invisible format character ({code_point}) at position {position}; remove it",
        ),
        en(
            "not-a-slug",
            "{value} is not a valid address part; use 1 to 80 lower-case letters a-z, digits and '-'",
        ),
        en(
            "not-a-permanent-id",
            "{value} is not a permanent id; 'cucon new' mints one (a UUID such as "
            "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f) and it never changes",
        ),
        en("id-not-canonical", "write the id in lower case with hyphens: {id}"),
        en("not-a-language-code", "{value} is not a language code; use ISO 639, e.g. de, en, pl, ja"),
        en("unknown-language", "{value} is not a known language code (ISO 639)"),
        en("unknown-country", "{value} is not an ISO 3166-1 country code such as DE, GB, PL, JP"),
        en("unknown-currency", "{value} is not an ISO 4217 currency code such as EUR, GBP, PLN"),
        en(
            "not-an-amount",
            "{value} is not an amount of money; write a number above 0 and below 10,000,000 with at most "
            "two decimals, such as 4000 or 12.50",
        ),
        en("unknown-timezone", "{value} is not an IANA timezone such as Europe/Berlin, Asia/Tokyo"),
        en("not-a-date", "{value} is not a date; write it as YYYY-MM-DD, e.g. 2026-12-31"),
        en(
            "not-a-date-time",
            "{value} is not a date and time; write it as YYYY-MM-DD HH:MM in 24-hour time, "
            "e.g. 2026-12-31 23:59 (local time; the timezone goes in 'timezone')",
        ),
        en("not-https", "{value} is not allowed; links must be https:// addresses"),
        en("link-with-spaces", "a link must not contain spaces"),
        en("not-an-email", "{value} is not an e-mail address"),
        en("not-a-contact", "{value} is not allowed; write an https:// address or mailto:name@example.org"),
        en(
            "not-an-image-name",
            "{value} is not allowed; name a .jpg, .png or .webp file beside this one, "
            "in lower-case letters, digits and '-'",
        ),
        en("not-texts-by-language", "expected texts by language, e.g. de: … and en: …"),
        en("needs-german-text", "needs a text for de (German and English)"),
        en("needs-english-text", "needs a text for en (German and English)"),
        en("needs-both-texts", "needs a text for de and en (German and English)"),
        en("wrong-platform", "{platform}: {value} is not an address on {host}"),
        en("link-in-wrong-field", "{value} belongs in the '{right}' field, not in '{platform}'"),
        en(
            "address-in-summary",
            "the short description must not contain a web address ({value}); links have their own fields",
        ),
        en(
            "sort-as-not-latin",
            "{value} is not written in Latin letters; give the name as it is read in Latin letters, e.g. "
            "'Aioi Sound Lab' for 相生サウンドラボ",
        ),
        # --- rules between values (cucon.schema) ---
        en("updated-before-consent", "'updated' is before the consent date"),
        en(
            "contact-email-without-address",
            "contact is 'email' but the profile publishes no e-mail address; add one, or choose form or none",
        ),
        en(
            "profile-or-name", "give either 'profile' (a profile's file name without .md) or 'name', not both"
        ),
        en("everyone-or-lists", "write 'everyone: true', or list 'cities' and/or 'countries'"),
        en("end-before-start", "'end' is before 'start'"),
        en("published-after-deadline", "'published' is after the deadline"),
        en("updated-before-published", "'updated' is before 'published'"),
        en("opens-after-deadline", "'opens' is after the deadline"),
        en("results-before-deadline", "'results' is before the deadline"),
        en("event-needs-start", "an event needs an 'event' block with at least 'start'"),
        en("cooperation-needs-two-cities", "a cooperation report names at least two cities"),
        en("updated-before-date", "'updated' is before 'date'"),
        # --- files (cucon.content, cucon.frontmatter, cucon.markup) ---
        en("no-content-folder", "the content folder does not exist"),
        en("file-too-large", "is {size:,} bytes; at most {limit:,} allowed"),
        en("not-utf8", "is not UTF-8 text; save it as UTF-8"),
        en("body-control-character", "contains a control character ({code_point}); remove it"),
        en("body-bidi-control", "contains a bidirectional control character ({code_point}); remove it"),
        en(
            "bad-file-name",
            "'{name}' is not a valid file name; use lower-case letters a-z, digits and '-' (at most 80) followed by {suffix}",
        ),
        en("duplicate-slug", "the file name '{slug}' is used by both {first} and {second}; rename one"),
        en("disciplines-missing", "the list of disciplines is missing"),
        en("discipline-twice", "the discipline '{slug}' is listed twice"),
        en("symbolic-link", "is a symbolic link; content must be regular files inside content/"),
        en(
            "stray-file",
            "is not a content file; content/ holds profiles/, calls/, news/, pages/, cities/, "
            "networks/ and disciplines.yaml, with .jpg, .png or .webp images beside the items",
        ),
        en("yaml-tag", "the YAML tag {tag} is not allowed; write plain values only"),
        en("invalid-yaml", "invalid YAML: {problem} (column {column} of the line: {text})"),
        en(
            "yaml-open-list",
            "a list opened with '[' is not closed with ']', or its entries are not separated by commas (column {column} of the line: {text})",
        ),
        en(
            "yaml-open-braces",
            "a group opened with '{{' is not closed with '}}', or its entries are not separated by commas (column {column} of the line: {text})",
        ),
        en(
            "yaml-colon",
            "a ':' stands where none may: put a text that contains ': ' in quotes, and start each key in "
            "the same column as the keys beside it (column {column} of the line: {text})",
        ),
        en(
            "yaml-bad-character",
            "a value cannot start with this character: indent with spaces, not tabs, and put a text that "
            "starts with @, %, ` or another sign in quotes (column {column} of the line: {text})",
        ),
        en(
            "placeholder-summary",
            "this is the example summary 'cucon new' writes; replace it with one or two sentences of your own",
        ),
        en(
            "placeholder-alt",
            "this is the example photo description 'cucon new' writes; describe what the photo shows",
        ),
        en(
            "placeholder-photo",
            "{name} is the placeholder photo 'cucon new' writes; put the real photo in its place",
        ),
        en("yaml-open-quote", "a quote opened here is never closed (column {column} of the line: {text})"),
        en(
            "yaml-expected-key",
            "this line does not go on like the keys above it: check its indentation, and that nothing "
            "follows a closing quote or ']' (column {column} of the line: {text})",
        ),
        en(
            "yaml-no-colon",
            "this line has no ':' after its key; write 'key: value', and put a text over several lines in "
            "quotes (column {column} of the line: {text})",
        ),
        en("yaml-anchors", "YAML anchors and aliases (&name, *name) are not allowed; write each value out"),
        en(
            "no-front-matter",
            "the file must start with a line '---', the YAML front matter, and another line '---'",
        ),
        en("not-key-value-pairs", "expected key: value pairs at the top level"),
        en(
            "render-too-slow",
            "takes more than {seconds:.1f} s to render; "
            "simplify its structure (deeply nested quotes, lists, links or HTML tags, or long runs of markup characters)",
        ),
        en(
            "render-too-much-memory",
            "needs more than {megabytes} MB of memory to render; "
            "simplify its structure (deeply nested quotes, lists, links or HTML tags, or long runs of markup characters)",
        ),
        en(
            "render-too-large",
            "renders to {size:,} bytes of HTML, more than {factor} times its size; "
            "write fewer references to the same footnote or link",
        ),
        en(
            "render-too-deep",
            "nests its markup {depth} levels deep, more than {limit}; "
            "simplify its structure (deeply nested quotes, lists, links or HTML tags, or long runs of markup characters)",
        ),
        en(
            "link-to-no-file-in-html",
            "a link points at {{filename}}{target}, which is no content file; write the path relative to this file",
        ),
        # --- references between files (cucon.checks) ---
        en("unknown-reference", "unknown {thing} '{value}'"),
        en("unknown-reference-close", "unknown {thing} '{value}'; did you mean '{close}'?"),
        en("unknown-reference-listed", "unknown {thing} '{value}'; the known ones are listed in {where}"),
        en("duplicate-id", "the id {id} is used by both {first} and {second}; each item needs its own"),
        en("section-slug", "'{slug}' is a section of the site; name the page differently"),
        en(
            "listing-slug",
            "'{slug}' is an address part the site's listings use; rename the file, e.g. {slug}-1{suffix}",
        ),
        en(
            "windows-device-name",
            "'{name}' is the Windows device name {device}, so Git for Windows cannot check it out; "
            "rename it, e.g. {suggestion}",
        ),
        en(
            "reference-to-translation",
            "'{value}' is a translation; refer to the original profile '{original}'",
        ),
        en("image-missing", "the image '{name}' is missing; put it beside {beside}"),
        en("unused-image", "no item names this image; remove it or name it in the item's front matter"),
        en("translation-of-translation", "'{slug}' is itself a translation; name the original '{original}'"),
        en(
            "translation-in-original-language",
            "is '{lang}', the language of the original; a translation is in another language",
        ),
        en("translation-twice", "'{slug}' already has a '{lang}' translation: {other}"),
        en("not-a-member", "no network file lists '{city}' as a member for {relation}"),
        en("member-since-differs", "says {since}, but {path} says {other_since}"),
        en(
            "member-slug-and-city",
            "'slug: {slug}' and 'city: {city}' name two different cities; a member with a city file "
            "is named by that file's name: remove the 'slug:' line",
        ),
        en(
            "member-slug-twice",
            "'{slug}' names two different members ({first} and {second}); give one of them its own "
            "address part, such as 'slug: {suggestion}'",
        ),
        en(
            "member-is-a-city-file",
            "'{slug}' is also the file name of {path}; if that file is this member, write 'city: {slug}', "
            "else give this member its own address part with 'slug:'",
        ),
        en(
            "link-to-no-file",
            "the link {link} points at no content file; write the path relative to this file",
        ),
        en("tombstone-slug-twice", "'{slug}' is listed twice (also at line {line})"),
        en("tombstone-id-twice", "the id {id} is listed twice (also at line {line})"),
        en("tombstone-listing-slug", "'{slug}' is an address part the site's listings use, never an item's"),
        en(
            "slug-of-removed-item",
            "the {thing} '{slug}' was removed on {date} ({where}) and its address says so; give this file another name",
        ),
        en("id-of-removed-item", "the id {id} belonged to a removed item ({where}); mint a new one"),
        # --- images (cucon.images) ---
        en("image-empty", "the image '{name}' is empty"),
        en("image-too-large", "the image '{name}' is {size:,} bytes; at most 10 MB allowed"),
        en(
            "image-too-many-pixels",
            "the image '{name}' has too many pixels ({megapixels:,.0f} megapixels); at most 40 megapixels allowed: "
            "scale it down",
        ),
        en(
            "image-too-many-pixels-uncounted",
            "the image '{name}' has too many pixels; at most 40 megapixels allowed: scale it down",
        ),
        en(
            "image-too-large-pixels",
            "the image '{name}' is {width:,} × {height:,} pixels ({megapixels:,.0f} megapixels); "
            "at most 40 megapixels allowed: scale it down",
        ),
        en("image-damaged-format", "the image '{name}' is a damaged or incomplete {format}; export it again"),
        en(
            "image-not-a-photo",
            "the image '{name}' is {what}, not a photo; CuCon accepts JPEG, PNG and WebP only: export it as JPEG or PNG",
        ),
        en(
            "image-unreadable", "the image '{name}' is damaged and cannot be read ({detail}); export it again"
        ),
        en("image-damaged", "the image '{name}' is damaged or incomplete ({detail}); export it again"),
        en("image-wrong-format", "the image '{name}' is {format}; CuCon accepts JPEG, PNG and WebP only"),
        en("image-animated", "the image '{name}' is an animation; use a still picture (JPEG, PNG or WebP)"),
        en("image-changed", "the image '{name}' changed while the site was being built; build again"),
        # --- the forms' own checks (cucon.bot) ---
        en("one-value-only", "give one value only"),
        en("consent-needed", "please agree to the consent text; without it nothing can be published"),
        en(
            "unknown-consent-version",
            "is not a version of the consent text; load the form again and send it once more",
        ),
        en("email-to-publish", "give the e-mail address to publish"),
        en(
            "sort-as-wanted",
            "the name is not written in Latin letters: please give it here in Latin letters too (for example as "
            "it is pronounced), so that the A–Z list files it under its letter; or send the form again as it "
            "is, and the name is listed after Z under its own script",
        ),
        en("photo-required", "a photo is required: a JPEG, PNG or WebP picture"),
        en("time-needed", "give the time too, e.g. 19:30"),
        en("form-not-utf8", "this text was not sent as UTF-8 and cannot be read; please type it again"),
        en(
            "email-for-confirmation",
            "give your e-mail address: the link that confirms your proposal is sent there",
        ),
        en("issue-too-long", "the issue is longer than GitHub allows"),
        en("one-photo-only", "give one photo only"),
        en(
            "photo-not-from-github",
            "the photo must be a picture uploaded into the issue on GitHub (drag it into the photo field); "
            "other addresses are not downloaded",
        ),
        en("photo-download-too-slow", "the photo could not be downloaded within {seconds:g} s"),
        en(
            "photo-download-refused",
            "the photo could not be downloaded (GitHub answered {status}); upload it again",
        ),
        en("photo-too-many-redirects", "the photo could not be downloaded: too many redirects"),
        en("photo-download-failed", "the photo could not be downloaded ({error}); try again"),
        en("photo-too-large", "the photo is larger than {megabytes:g} MB; at most {megabytes:g} MB allowed"),
        # --- terms: words that stand in a sentence (values of type Term) ---
        en("term-city", "city"),
        en("term-discipline", "discipline"),
        en("term-profile", "profile"),
        en("term-network", "network"),
        en("term-call", "call"),
        en("term-news", "news"),
        en("term-page", "page"),
        en("format-gif", "a GIF"),
        en("format-eps", "an EPS/PostScript file"),
        en("format-pdf", "a PDF document"),
        en("format-zip", "a ZIP archive (or an Office document)"),
        en("format-bmp", "a BMP bitmap"),
        en("format-tiff", "a TIFF"),
        en("format-ico", "an icon (ICO)"),
        en("format-psd", "a Photoshop file (PSD)"),
        en("format-heic", "a HEIC photo (iPhone)"),
        en("format-avif", "an AVIF image"),
        en("format-video", "a video or ISO media file"),
        en("format-svg", "an SVG drawing"),
        en("format-html", "an HTML page"),
        en("format-xml", "an XML or HTML file"),
        en("format-text", "a text file"),
        en("format-unknown", "not a picture CuCon can read"),
    ]
)
"""The English template of every code (terms included), in the order of the catalogs."""
