"""File uploads with a size limit of their own.

The server's `server.maxUploadSize` (.streamlit/config.toml) is the largest any uploader needs
(the Apple Health import). Each uploader passes its own smaller limit to `st.file_uploader`,
where the browser refuses a bigger file before sending it, and checks the size again here: a
request can bypass the browser, so a file over the limit is refused with a kind message and
never read.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

_MB = 1024 * 1024  # Streamlit's megabyte


def size_label(size: int) -> str:
    """'1.2 GB', '300 MB', '12 KB' for a size in bytes (binary units, as Streamlit counts)."""
    if size >= 1024 * _MB:
        return f"{size / (1024 * _MB):.1f} GB"
    if size >= _MB:
        return f"{size / _MB:.0f} MB"
    return f"{max(1, round(size / 1024))} KB"


def limited_uploader(
    label: str, *, key: str, limit_mb: int, types: Sequence[str], what: str
) -> UploadedFile | None:
    """A one-file uploader taking files up to `limit_mb`; the file if it is within the limit.

    `what` names the import in the message for a file that is too big ("the mood import").
    """
    upload = st.file_uploader(label, type=list(types), key=key, max_upload_size=limit_mb)
    st.caption(
        f"Files up to {size_label(limit_mb * _MB)}. A bigger file is marked in red and not sent "
        "(point at it to see why); nothing is read or saved."
    )
    if upload is None:
        return None
    if upload.size > limit_mb * _MB:
        st.warning(
            f"This file is {size_label(upload.size)}; {what} takes files up to "
            f"{size_label(limit_mb * _MB)}. Nothing was read or saved.",
            icon=":material/info:",
        )
        return None
    return upload
