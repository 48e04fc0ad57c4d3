"""Where a response's OAI-PMH document ends, found from the end of the body.

Truncated bodies and garbage after the root are faults a harvest must survive
(test_faults); here the search itself is held to the plain forward scan it replaced.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from harvester.fetch import _ROOT_END, _root_end

fragments = st.sampled_from(
    [b"<OAI-PMH>", b"</OAI-PMH>", b"</o:OAI-PMH >", b"OAI-PMH", b"</", b"</a>", b"<", b"x", b" "]
)


@given(st.lists(fragments, max_size=12).map(b"".join))
def test_the_last_closing_root_tag_is_found_as_a_forward_scan_finds_it(body):
    ends = list(_ROOT_END.finditer(body))
    assert _root_end(body) == (ends[-1].end() if ends else None)
