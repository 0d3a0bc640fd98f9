"""The private store: owner records sealed with CUCON_BOT_DATA_KEYS, key rotation, the online backup."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from support import BASE_ENV, DATA_KEY

from cucon.bot.config import BotConfig, ConfigError
from cucon.bot.owners import OwnerError, OwnerStore
from cucon.bot.vault import Vault, VaultError, connect, new_key, rotate
from cucon.cli import main

ADDRESS = "ana.owner@example.org"
OTHER = "ben.stranger@example.org"
PROFILE = "3ac2fd49-af18-4bdf-ba5c-c769c64b9989"


@pytest.fixture
def store(tmp_path: Path):
    """An owner store in a fresh private.sqlite3, sealed with the tests' key."""
    owners = OwnerStore(tmp_path / "private.sqlite3", Vault([DATA_KEY]))
    yield owners
    owners.close()


def file_bytes(path: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    return b"".join(p.read_bytes() for p in (path, path.with_name(path.name + "-wal")) if p.exists())


def test_a_record_is_kept_sealed_and_found_by_its_owner(store: OwnerStore):
    """The address comes back for its profile, matches case-folded, and its bytes are nowhere in the files."""
    store.set(PROFILE, ADDRESS)
    assert store.address(PROFILE) == ADDRESS
    assert store.has(PROFILE)
    assert store.ids() == [PROFILE]
    assert store.matches(PROFILE, " Ana.Owner@EXAMPLE.org ")
    assert not store.matches(PROFILE, OTHER)
    assert store.owned_by("ANA.OWNER@example.org") == [PROFILE]
    assert store.owned_by(OTHER) == []
    for needle in (ADDRESS.encode(), b"ana.owner", "ana.owner".encode("utf-16-le")):
        assert needle not in file_bytes(store.path)


def test_setting_again_replaces_and_dropping_erases(store: OwnerStore):
    """A second verified address replaces the first; drop leaves no record and no bytes of either."""
    store.set(PROFILE, OTHER)
    store.set(PROFILE, ADDRESS)
    assert store.address(PROFILE) == ADDRESS
    assert store.owned_by(OTHER) == []
    assert store.drop(PROFILE)
    assert not store.drop(PROFILE)
    assert store.address(PROFILE) is None
    assert store.ids() == []
    with closing(sqlite3.connect(store.path)) as db:
        assert db.execute("SELECT count(*) FROM owners").fetchone() == (0,)


def test_without_the_key_nothing_opens(store: OwnerStore, tmp_path: Path):
    """Another key cannot open a record, and its error names the setting, never the address."""
    store.set(PROFILE, ADDRESS)
    stranger = OwnerStore(store.path, Vault([new_key()]))
    try:
        with pytest.raises(VaultError, match="CUCON_BOT_DATA_KEYS") as refused:
            stranger.address(PROFILE)
        assert ADDRESS not in str(refused.value)
        assert not stranger.matches(PROFILE, ADDRESS)
        assert stranger.owned_by(ADDRESS) == []
    finally:
        stranger.close()


def test_rotation_keeps_every_record_and_retires_the_old_key(tmp_path: Path):
    """With NEW,OLD every old record still reads and is found; rotate-key re-seals all with NEW, after
    which NEW alone reads and finds every record and OLD alone reads none."""
    old, new = new_key(), new_key()
    path = tmp_path / "private.sqlite3"
    addresses = {f"0000000{n}-id": f"person{n}@example.org" for n in range(5)}
    before = OwnerStore(path, Vault([old]))
    for permanent_id, address in addresses.items():
        before.set(permanent_id, address)
    before.close()

    both = OwnerStore(path, Vault([new, old]))
    assert both.owned_by("person3@example.org") == ["00000003-id"]  # found before the rotation
    both.close()
    counts = rotate(path, Vault([new, old]))
    assert counts == {"owners": 5}

    after = OwnerStore(path, Vault([new]))
    retired = OwnerStore(path, Vault([old]))
    try:
        for permanent_id, address in addresses.items():
            assert after.address(permanent_id) == address
            assert after.owned_by(address) == [permanent_id]
            with pytest.raises(VaultError):
                retired.address(permanent_id)
    finally:
        after.close()
        retired.close()


def test_rotation_follows_the_naming_convention_of_every_table(tmp_path: Path):
    """A table of another module with ``<name>_sealed`` and ``<name>_blind`` columns is rotated too."""
    old, new = Vault([DATA_KEY]), new_key()
    path = tmp_path / "private.sqlite3"
    with closing(connect(path)) as db:
        # An INTEGER PRIMARY KEY is the rowid under another name: rotation must still find each row.
        db.execute(
            "CREATE TABLE subscribers (id INTEGER PRIMARY KEY, address_sealed BLOB, address_blind BLOB, cities TEXT)"
        )
        db.execute(
            "INSERT INTO subscribers VALUES (7, ?, ?, 'hannover')", (old.seal(OTHER), old.blind(OTHER))
        )
    assert rotate(path, Vault([new, DATA_KEY])) == {"subscribers": 1}
    only_new = Vault([new])
    with closing(connect(path)) as db:
        _, sealed, blind, cities = db.execute("SELECT * FROM subscribers").fetchone()
    assert (only_new.open(sealed), blind, cities) == (OTHER, only_new.blind(OTHER), "hannover")


def test_a_rotation_with_a_wrong_key_changes_nothing(store: OwnerStore, monkeypatch, tmp_path: Path, caplog):
    """rotate-key with keys that cannot open the records exits 1, names the setting and keeps the file."""
    store.set(PROFILE, ADDRESS)
    before = file_bytes(store.path)
    work = tmp_path
    monkeypatch.setattr(
        "os.environ", {**BASE_ENV, "CUCON_BOT_WORKDIR": str(work), "CUCON_BOT_DATA_KEYS": new_key()}
    )
    assert main(["bot", "rotate-key"]) == 1
    assert "CUCON_BOT_DATA_KEYS" in caplog.text
    assert ADDRESS not in caplog.text
    assert store.address(PROFILE) == ADDRESS
    assert file_bytes(store.path) == before


def test_the_commands_make_a_key_rotate_and_back_up(
    store: OwnerStore, monkeypatch, tmp_path: Path, capsys, caplog
):
    """new-key prints a key the setting accepts; rotate-key and backup run from the environment."""
    assert main(["bot", "new-key"]) == 0
    key = capsys.readouterr().out.strip()
    store.set(PROFILE, ADDRESS)
    environ = {**BASE_ENV, "CUCON_BOT_WORKDIR": str(tmp_path), "CUCON_BOT_DATA_KEYS": f"{key},{DATA_KEY}"}
    assert BotConfig.from_env(environ).data_keys == (key, DATA_KEY)
    monkeypatch.setattr("os.environ", environ)
    caplog.set_level("INFO")
    assert main(["bot", "rotate-key"]) == 0
    assert main(["bot", "backup", str(tmp_path / "copies")]) == 0
    copy = OwnerStore(tmp_path / "copies" / "private.sqlite3", Vault([key]))
    try:
        assert copy.address(PROFILE) == ADDRESS
    finally:
        copy.close()
    assert (tmp_path / "copies" / "private.sqlite3").stat().st_mode & 0o077 == 0
    assert ADDRESS not in caplog.text


def test_a_backup_taken_while_writing_holds_every_committed_record(
    store: OwnerStore, tmp_path: Path, monkeypatch
):
    """The online backup, taken while another thread keeps adding owners, is a sound database with
    every record committed before it began."""
    for n in range(50):
        store.set(f"before-{n}", f"b{n}@example.org")
    stop = threading.Event()

    def keep_writing():
        n = 0
        while not stop.is_set():
            store.set(f"during-{n}", f"d{n}@example.org")
            n += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        monkeypatch.setattr("os.environ", {**BASE_ENV, "CUCON_BOT_WORKDIR": str(tmp_path)})
        assert main(["bot", "backup", str(tmp_path / "copies")]) == 0
    finally:
        stop.set()
        writer.join()
    path = tmp_path / "copies" / "private.sqlite3"
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy = OwnerStore(path, Vault([DATA_KEY]))
    try:
        assert {f"before-{n}" for n in range(50)} <= set(copy.ids())
        assert copy.address("before-49") == "b49@example.org"
    finally:
        copy.close()


BAD_RECORDS = [
    # (what an attacker tries, permanent id, address, the field the refusal names)
    ("SQL in the id", "x'; DROP TABLE owners; --", ADDRESS, "permanent_id"),
    ("a path as id", "../../etc/passwd", ADDRESS, "permanent_id"),
    ("an empty id", "", ADDRESS, "permanent_id"),
    ("an over-long id", "a" * 65, ADDRESS, "permanent_id"),
    ("a header injected after CR/LF", PROFILE, f"{ADDRESS}\r\nBcc: {OTHER}", "address"),
    ("a bare LF", PROFILE, f"{ADDRESS}\nx", "address"),
    ("a NUL byte", PROFILE, f"{ADDRESS}\x00", "address"),
    ("two addresses", PROFILE, f"{ADDRESS} {OTHER}", "address"),
    ("no address", PROFILE, "", "address"),
    ("no @", PROFILE, "ana.example.org", "address"),
    ("an over-long address", PROFILE, "a" * 250 + "@example.org", "address"),
]


@pytest.mark.parametrize(
    ("attack", "permanent_id", "address", "field"), BAD_RECORDS, ids=[r[0] for r in BAD_RECORDS]
)
def test_bad_records_are_refused_without_quoting_the_address(
    store: OwnerStore, caplog, attack, permanent_id, address, field
):
    """Each row is refused with an OwnerError naming its field, stores nothing and logs no address."""
    with pytest.raises(OwnerError, match=f"^{field}:") as refused:
        store.set(permanent_id, address)
    assert ADDRESS not in str(refused.value)
    assert ADDRESS not in caplog.text
    assert store.ids() == []


@pytest.mark.parametrize(
    "asked",
    ["unknown-id", "x' OR '1'='1", "", "%"],
    ids=["unknown", "sql", "empty", "wildcard"],
)
def test_lookups_of_unknown_ids_find_nothing(store: OwnerStore, asked: str):
    """A lookup of an id without a record, however it is spelled, finds nothing and matches nothing."""
    store.set(PROFILE, ADDRESS)
    assert store.address(asked) is None
    assert not store.has(asked)
    assert not store.matches(asked, ADDRESS)
    assert not store.drop(asked)
    assert store.ids() == [PROFILE]


def test_logs_name_the_profile_never_the_address(store: OwnerStore, caplog, tmp_path: Path):
    """set, drop and rotate log events with the permanent id only."""
    caplog.set_level("INFO")
    store.set(PROFILE, ADDRESS)
    rotate(store.path, Vault([new_key(), DATA_KEY]))
    store.drop(PROFILE)
    assert {"owner_set", "private_rotated", "owner_dropped"} <= {r.getMessage() for r in caplog.records}
    assert "ana.owner" not in caplog.text.lower()


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("not-a-key", "CUCON_BOT_DATA_KEYS: key 1 is not a key"),
        (f"{DATA_KEY},short", "CUCON_BOT_DATA_KEYS: key 2 is not a key"),
        (f"{DATA_KEY},{DATA_KEY}", "names a key twice"),
    ],
    ids=["malformed", "second malformed", "twice"],
)
def test_a_wrong_key_setting_stops_the_service_without_quoting_it(keys: str, message: str):
    """A malformed key is named by its position; the message never repeats a key."""
    with pytest.raises(ConfigError, match=message) as refused:
        BotConfig.from_env({**BASE_ENV, "CUCON_BOT_DATA_KEYS": keys})
    assert DATA_KEY not in str(refused.value)
    assert "not-a-key" not in str(refused.value)


def test_the_e_mail_check_needs_a_key():
    """With SMTP on, verified addresses are kept: without CUCON_BOT_DATA_KEYS the service does not start."""
    environ = {
        **BASE_ENV,
        "CUCON_BOT_SMTP_HOST": "mail.cucon.example",
        "CUCON_BOT_SMTP_FROM": "forms@cucon.example",
        "CUCON_BOT_PUBLIC_URL": "https://bot.cucon.example",
    }
    assert BotConfig.from_env(environ).data_keys == (DATA_KEY,)
    with pytest.raises(ConfigError, match="CUCON_BOT_DATA_KEYS is not set"):
        BotConfig.from_env({**environ, "CUCON_BOT_DATA_KEYS": ""})
