"""The docs stay honest: schema files, the content-model reference and the settings table."""

import json

from babel.messages.pofile import read_po
from support import REPO, template_messages

from cucon.docs import BEGIN, END, generated_reference
from cucon.schema import json_schemas


def test_json_schema_files_are_up_to_date():
    """schema/*.schema.json equals what `make schema` would write."""
    for name, schema in json_schemas().items():
        stored = json.loads((REPO / "schema" / f"{name}.schema.json").read_text("utf-8"))
        assert stored == json.loads(json.dumps(schema)), (
            f"schema/{name}.schema.json is stale: run `make schema`"
        )


def test_content_model_reference_is_up_to_date():
    """The generated tables in docs/content-model.md match the schema."""
    text = (REPO / "docs" / "content-model.md").read_text("utf-8")
    stored = text[text.index(BEGIN) : text.index(END) + len(END)]
    assert stored == generated_reference(), "docs/content-model.md is stale: run `make schema`"


def test_german_catalog_translates_every_template_string():
    """theme/translations/de has a non-empty translation for every string the templates use."""
    with (REPO / "theme" / "translations" / "de" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        catalog = read_po(po, locale="de")
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalog
        if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = template_messages() - translated
    assert not missing, f"untranslated: {sorted(missing)}"
