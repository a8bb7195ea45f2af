"""A page from a skeleton is handed to the server in pieces below the workers' mmap
threshold (pagecache.skeleton.pieces, deploy/gunicorn.conf.py), one at a time, never
joined whole."""

from django.test import RequestFactory

from pagecache.skeleton import PIECE_BYTES, from_skeleton, pieces


def test_pieces_join_to_the_parts_in_pieces_of_about_the_set_size():
    parts = [bytes([65 + n % 26]) * 300 for n in range(2000)]  # 600 KB, as a P500's
    out = list(pieces(parts))
    assert b"".join(out) == b"".join(parts)
    assert len(out) > 1 and all(len(piece) < 2 * PIECE_BYTES for piece in out)
    assert list(pieces([b"short", b"page"])) == [b"shortpage"]


def test_a_long_page_from_its_skeleton_is_written_in_pieces_with_its_length():
    request = RequestFactory().get("/")
    parts = [b"<p>" + b"x" * 500 + b"</p>", 0] * 1000 + [b"end"]
    stored = (("text/html; charset=utf-8", []), parts, [("hole",)])
    response = from_skeleton(request, stored, [b"<b>hole</b>"])
    body = b"".join(p if n % 2 == 0 else b"<b>hole</b>" for n, p in enumerate(parts))
    written = iter(response)  # as the server reads it
    first = next(written)
    assert len(first) < 2 * PIECE_BYTES  # < 128 KB: not the page joined whole
    assert all(len(piece) < 2 * PIECE_BYTES for piece in written)
    assert b"".join(response) == body and response.content == body  # read again
    assert response["Content-Length"] == str(len(body))
