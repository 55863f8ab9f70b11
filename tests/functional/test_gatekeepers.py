"""SPEC §11 gatekeepers: the admin API (list, get, PUT/PATCH with JSON and form bodies, validation, who may
call) and `chirp gatekeeper list|get|set` (JSON output, exit codes), and that a change made with the CLI
reaches a running server within 5 seconds."""

import json
import secrets

import pytest

from conftest import (NOT_ADMIN, NOT_AUTHENTICATED, NOT_FOUND, assert_field_errors, assert_json, poll, run_cli,
                      storage_args, token_client)

GATEKEEPERS = "/api/gatekeepers/"
ITEM_KEYS = {"name", "percent", "whitelist", "description"}
SERVER_SWITCHES = ["friendship_dual_write", "friendship_kv_only", "friendship_read_kv", "newsfeed_dual_write",
                   "newsfeed_kv_only", "newsfeed_read_kv"]
NOT_INTEGER = ["A valid integer is required."]
TOO_LOW = ["Ensure this value is greater than or equal to 0."]
TOO_HIGH = ["Ensure this value is less than or equal to 100."]


def gk_name() -> str:
    """A fresh gatekeeper name (tests may share one database)."""
    return f"gk_test_{secrets.token_hex(5)}"


def gpath(name: str) -> str:
    return f"{GATEKEEPERS}{name}/"


def default_item(name: str) -> dict:
    return {"name": name, "percent": 0, "whitelist": [], "description": ""}


def output(r) -> str:
    return r.stdout + r.stderr


# ---------------------------------------------------------------- who may call


@pytest.mark.smoke
def test_anonymous_is_refused(anon):
    name = gk_name()
    assert_json(anon.get(GATEKEEPERS), 403, NOT_AUTHENTICATED)
    assert_json(anon.get(gpath(name)), 403, NOT_AUTHENTICATED)
    assert_json(anon.put(gpath(name), json={"percent": 50}), 403, NOT_AUTHENTICATED)
    assert_json(anon.patch(gpath(name), json={"percent": 50}), 403, NOT_AUTHENTICATED)


def test_non_admin_is_refused(user, admin):
    name = gk_name()
    assert_json(user.get(GATEKEEPERS), 403, NOT_ADMIN)
    assert_json(user.get(gpath(name)), 403, NOT_ADMIN)
    assert_json(user.put(gpath(name), json={"percent": 50}), 403, NOT_ADMIN)
    assert_json(user.patch(gpath(name), data={"percent": "50"}), 403, NOT_ADMIN)
    assert_json(admin.get(gpath(name)), 200, default_item(name))  # nothing changed


def test_admin_by_token(server, admin_account):
    c = token_client(server, admin_account.username, admin_account.password)
    name = gk_name()
    assert_json(c.put(gpath(name), json={"percent": 7}), 200)
    assert assert_json(c.get(gpath(name)), 200)["percent"] == 7


def test_unlisted_method_is_405(admin):
    r = admin.delete(gpath(gk_name()))
    assert r.status_code == 405, r.text
    assert "PUT" in r.headers.get("Allow", "") and "PATCH" in r.headers.get("Allow", "")


# ---------------------------------------------------------------- reading


@pytest.mark.smoke
def test_list_has_the_server_switches_sorted(admin):
    data = assert_json(admin.get(GATEKEEPERS), 200)
    assert set(data) == {"gatekeepers"}
    items = data["gatekeepers"]
    names = [g["name"] for g in items]
    assert names == sorted(names)
    assert len(names) == len(set(names))
    for switch in SERVER_SWITCHES:
        assert switch in names
    for g in items:
        assert set(g) == ITEM_KEYS, g
        assert isinstance(g["percent"], int) and 0 <= g["percent"] <= 100
        assert all(isinstance(i, int) for i in g["whitelist"])
        assert isinstance(g["description"], str)


def test_list_includes_a_new_gatekeeper_in_order(admin):
    name = gk_name()
    assert_json(admin.put(gpath(name), json={"description": "listed"}), 200)
    items = assert_json(admin.get(GATEKEEPERS.rstrip("/")), 200)["gatekeepers"]
    names = [g["name"] for g in items]
    assert names == sorted(names)
    assert {"name": name, "percent": 0, "whitelist": [], "description": "listed"} in items


def test_get_unknown_name_is_off(admin):
    name = gk_name()
    assert_json(admin.get(gpath(name)), 200, default_item(name))
    assert_json(admin.get(gpath(name).rstrip("/")), 200, default_item(name))
    # Reading does not create it.
    names = [g["name"] for g in assert_json(admin.get(GATEKEEPERS), 200)["gatekeepers"]]
    assert name not in names


@pytest.mark.parametrize("bad", ["Upper_Case", "has-dash", "x" * 65, "dot.ted"])
def test_get_a_name_that_cannot_exist_is_404(admin, bad):
    assert_json(admin.get(gpath(bad)), 404, NOT_FOUND)


# ---------------------------------------------------------------- changing


@pytest.mark.smoke
def test_put_and_patch_json(admin):
    name = gk_name()
    item = assert_json(admin.put(gpath(name), json={"percent": 30, "whitelist": [9, 3, 9],
                                                    "description": "  gray release of X  "}), 200)
    assert item == {"name": name, "percent": 30, "whitelist": [3, 9], "description": "gray release of X"}
    assert_json(admin.get(gpath(name)), 200, item)

    # Partial: absent fields keep their values, for PATCH and PUT alike.
    item = assert_json(admin.patch(gpath(name), json={"percent": 100}), 200)
    assert item == {"name": name, "percent": 100, "whitelist": [3, 9], "description": "gray release of X"}
    item = assert_json(admin.put(gpath(name), json={"whitelist": []}), 200)
    assert item == {"name": name, "percent": 100, "whitelist": [], "description": "gray release of X"}
    item = assert_json(admin.patch(gpath(name), json={"description": "", "percent": "0",
                                                      "whitelist": ["12", 5]}), 200)
    assert item == {"name": name, "percent": 0, "whitelist": [5, 12], "description": ""}
    assert_json(admin.get(gpath(name)), 200, item)


def test_put_and_patch_form(admin):
    name = gk_name()
    item = assert_json(admin.put(gpath(name), data={"percent": "25", "whitelist": "4, 2,8",
                                                    "description": "form"}), 200)
    assert item == {"name": name, "percent": 25, "whitelist": [2, 4, 8], "description": "form"}
    item = assert_json(admin.patch(gpath(name), data={"whitelist": ""}), 200)
    assert item == {"name": name, "percent": 25, "whitelist": [], "description": "form"}
    item = assert_json(admin.patch(gpath(name), files={"percent": (None, "60"), "whitelist": (None, "77")}), 200)
    assert item == {"name": name, "percent": 60, "whitelist": [77], "description": "form"}


def test_server_switch_can_be_changed(admin):
    # The value is restored: other tests (and the storage migration) read these switches.
    before = assert_json(admin.get(gpath("newsfeed_read_kv")), 200)
    try:
        item = assert_json(admin.patch(gpath("newsfeed_read_kv"), json={"description": "reads from the kv store"}),
                           200)
        assert item["description"] == "reads from the kv store"
        assert item["percent"] == before["percent"]
    finally:
        assert_json(admin.put(gpath("newsfeed_read_kv"), json={"description": before["description"]}), 200)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("body, errors", [
    ({"percent": -1}, {"percent": TOO_LOW}),
    ({"percent": 101}, {"percent": TOO_HIGH}),
    ({"percent": 10 ** 15}, {"percent": TOO_HIGH}),
    ({"percent": "x"}, {"percent": NOT_INTEGER}),
    ({"percent": 1.5}, {"percent": NOT_INTEGER}),
    ({"percent": True}, {"percent": NOT_INTEGER}),
    ({"percent": None}, {"percent": NOT_INTEGER}),
    ({"whitelist": ["a"]}, {"whitelist": NOT_INTEGER}),
    ({"whitelist": [1, 2.5]}, {"whitelist": NOT_INTEGER}),
    ({"whitelist": "1,x"}, {"whitelist": NOT_INTEGER}),
    ({"whitelist": {"a": 1}}, {"whitelist": ["Expected a list of user ids."]}),
    ({"description": True}, {"description": ["Not a valid string."]}),
    ({"description": "d" * 1001}, {"description": ["Ensure this field has no more than 1000 characters."]}),
])
def test_json_validation(admin, body, errors):
    name = gk_name()
    assert_field_errors(admin.put(gpath(name), json=body), errors)
    assert_json(admin.get(gpath(name)), 200, default_item(name))  # nothing saved


def test_negative_and_zero_ids_are_refused(admin):
    for ids in ([-1], [0], [5, -7]):
        r = admin.put(gpath(gk_name()), json={"whitelist": ids})
        data = assert_field_errors(r, {}, exact=False)
        assert set(data["errors"]) == {"whitelist"}, data


@pytest.mark.parametrize("form, errors", [
    ({"percent": "-1"}, {"percent": TOO_LOW}),
    ({"percent": "101"}, {"percent": TOO_HIGH}),
    ({"percent": "x"}, {"percent": NOT_INTEGER}),
    ({"percent": "1.5"}, {"percent": NOT_INTEGER}),
    ({"whitelist": "1,x"}, {"whitelist": NOT_INTEGER}),
    ({"whitelist": "1,,2"}, {"whitelist": NOT_INTEGER}),
])
def test_form_validation(admin, form, errors):
    assert_field_errors(admin.patch(gpath(gk_name()), data=form), errors)


def test_every_bad_field_is_reported(admin):
    r = admin.put(gpath(gk_name()), json={"percent": "x", "whitelist": ["a"], "description": 5 * "long" * 300})
    assert_field_errors(r, {"percent": NOT_INTEGER, "whitelist": NOT_INTEGER})  # types first
    r = admin.put(gpath(gk_name()), json={"percent": 300, "whitelist": [-2], "description": "ok"})
    data = assert_field_errors(r, {}, exact=False)
    assert list(data["errors"]) == ["percent", "whitelist"], data


def test_bad_name_on_write_is_a_validation_error(admin):
    r = admin.put(gpath("Bad-Name"), json={"percent": 5})
    data = assert_field_errors(r, {}, exact=False)
    assert set(data["errors"]) == {"name"}, data


# ---------------------------------------------------------------- command line


def test_cli_set_get_list(server, admin):
    name = gk_name()
    args = storage_args(server.data_dir)
    r = run_cli("gatekeeper", "set", name, "--percent", "40", "--whitelist", "3,1", "--description", "from CLI",
                *args)
    assert r.returncode == 0, output(r)
    item = {"name": name, "percent": 40, "whitelist": [1, 3], "description": "from CLI"}
    assert json.loads(r.stdout) == item

    r = run_cli("gatekeeper", "get", name, *args)
    assert r.returncode == 0, output(r)
    assert json.loads(r.stdout) == item

    r = run_cli("gatekeeper", "set", name, "--whitelist", "", *args)
    assert r.returncode == 0, output(r)
    assert json.loads(r.stdout) == dict(item, whitelist=[])

    r = run_cli("gatekeeper", "list", *args)
    assert r.returncode == 0, output(r)
    items = json.loads(r.stdout)
    assert isinstance(items, list)
    names = [g["name"] for g in items]
    assert names == sorted(names)
    assert dict(item, whitelist=[]) in items
    for switch in SERVER_SWITCHES:
        assert switch in names

    # The API shows what the CLI wrote, and the other way round.
    assert_json(admin.get(gpath(name)), 200, dict(item, whitelist=[]))
    assert_json(admin.patch(gpath(name), json={"percent": 90}), 200)
    r = run_cli("gatekeeper", "get", name, *args)
    assert json.loads(r.stdout)["percent"] == 90


@pytest.mark.smoke
def test_cli_change_reaches_the_running_server_within_5_seconds(server, admin):
    name = gk_name()
    assert_json(admin.get(gpath(name)), 200, default_item(name))
    r = run_cli("gatekeeper", "set", name, "--percent", "100", *storage_args(server.data_dir))
    assert r.returncode == 0, output(r)
    poll(lambda: admin.get(gpath(name)).json(), lambda item: item.get("percent") == 100, timeout=5,
         what="the server to see the CLI's change")


def test_cli_get_unknown_name(tmp_path):
    name = gk_name()
    r = run_cli("gatekeeper", "get", name, *storage_args(tmp_path / "data"))
    assert r.returncode == 0, output(r)
    assert json.loads(r.stdout) == default_item(name)


def test_cli_list_on_a_fresh_database(tmp_path):
    r = run_cli("gatekeeper", "list", *storage_args(tmp_path / "data"))
    assert r.returncode == 0, output(r)
    names = [g["name"] for g in json.loads(r.stdout)]
    assert names == sorted(names)
    assert set(SERVER_SWITCHES) <= set(names)


def test_cli_help():
    r = run_cli("gatekeeper", "--help")
    assert r.returncode == 0, output(r)
    for word in ("list", "get NAME", "set NAME", "--percent", "--whitelist", "--description", "--data-dir"):
        assert word in r.stdout, word
    r = run_cli("--help")
    assert "gatekeeper" in r.stdout


@pytest.mark.parametrize("args", [
    [],
    ["frobnicate"],
    ["get"],
    ["set"],
    ["get", "a", "b"],
    ["list", "extra"],
    ["set", "gk_x"],                                 # nothing to change
    ["set", "gk_x", "--percent", "101"],
    ["set", "gk_x", "--percent", "-1"],
    ["set", "gk_x", "--percent", "abc"],
    ["set", "gk_x", "--percent"],
    ["set", "gk_x", "--whitelist", "1,x"],
    ["set", "gk_x", "--whitelist", "-3"],
    ["set", "Bad-Name", "--percent", "5"],
    ["get", "Bad-Name"],
    ["get", "gk_x", "--percent", "5"],
    ["list", "--bogus", "1"],
])
def test_cli_bad_usage_exits_2(tmp_path, args):
    r = run_cli("gatekeeper", *args, *storage_args(tmp_path / "data"), timeout=30)
    assert r.returncode == 2, output(r)
    assert r.stderr.strip(), "no message on stderr"
    assert not r.stdout.strip()
