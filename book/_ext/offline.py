"""Keep the book offline: drop the only remote script jupyter-book adds.

jupyter-book always loads the ``sphinx_thebe`` extension, which writes an inline script
holding the address of the Thebe bundle on unpkg.com (fetched only when a reader presses a
"live code" button, which this book does not show). An offline book should not even name a
CDN, so this extension removes that script from every page as it is written.
"""

from __future__ import annotations


def _is_remote(js) -> bool:
    body = (getattr(js, "attributes", None) or {}).get("body", "") or ""
    return "unpkg.com" in body or "unpkg.com" in str(getattr(js, "filename", "") or "")


def _drop_remote_scripts(app, pagename, templatename, context, doctree):
    if "script_files" in context:
        context["script_files"] = [js for js in context["script_files"] if not _is_remote(js)]


def setup(app):
    app.connect("html-page-context", _drop_remote_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
