"""`leaddesk open` with what is no LeadDesk link: a clean refusal that never repeats the
link (it may hold the agent's password), and no window."""

from __future__ import annotations

import pytest

from tests.support.cli_home import Home, assert_clean_error


@pytest.mark.parametrize(
    "link",
    [
        "https://dialer.example.com/agc/vicidial.php?user=6666&pass=s3cretAgentPw",
        "leaddesk://send?first_name=Ann&pass=s3cretAgentPw",
        "leaddesk://new?" + "x=1&" * 300 + "pass=s3cretAgentPw",
        "leaddesk://6666:s3cretAgentPw\uff03@new?first_name=Ann",  # urllib cannot split it
    ],
)
def test_what_is_no_leaddesk_link_is_refused(home: Home, link: str) -> None:
    result = home.run("open", link)
    assert_clean_error(result, "link")
    assert "s3cretAgentPw" not in result.stdout + result.stderr
    log = home.root / "logs" / "leaddesk.log"
    assert "s3cretAgentPw" not in log.read_text(encoding="utf-8")
