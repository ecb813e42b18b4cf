import json

import pytest

from twinport.auth import Credential, Credentials, CredentialsError


def test_a_file_is_loaded_in_order(tmp_path):
    path = tmp_path / "keys.json"
    path.write_text(
        json.dumps(
            {
                "AKIDB": {"secret": "s1", "account": "111111111111"},
                "AKIDA": {"secret": "s2", "account": "111111111111"},
            }
        )
    )
    credentials = Credentials.load(path)
    assert credentials.lookup("AKIDA") == Credential("s2", "111111111111")
    assert credentials.lookup("nope") is None
    assert credentials.first_key_of("111111111111") == "AKIDB"
    assert credentials.first_key_of("222222222222") is None


@pytest.mark.parametrize(
    ("data", "says"),
    [
        ([], "expected an object"),
        ({}, "no access keys"),
        ({"AKID": "s"}, "access key 'AKID': expected"),
        ({"AKID": {"secret": "", "account": "111111111111"}}, "'secret' must be"),
        ({"AKID": {"secret": "s", "account": 111111111111}}, "'account' must be"),
        ({"AKID": {"secret": "s", "account": "1"}}, "'account' must be"),
        ({"AKID": {"secret": "s", "account": "111111111111", "x": 1}}, "unknown member 'x'"),
        ({"A/B": {"secret": "s", "account": "111111111111"}}, "access key 'A/B'"),
    ],
)
def test_a_malformed_file_names_the_key_and_the_fault(tmp_path, data, says):
    path = tmp_path / "keys.json"
    path.write_text(json.dumps(data))
    with pytest.raises(CredentialsError, match=str(path)) as raised:
        Credentials.load(path)
    assert says in str(raised.value)


def test_an_unreadable_file_is_named(tmp_path):
    with pytest.raises(CredentialsError, match="missing.json"):
        Credentials.load(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(CredentialsError, match="not JSON"):
        Credentials.load(tmp_path / "bad.json")
