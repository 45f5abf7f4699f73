"""The local web app (``ablab serve``) and the HTML views it shares with ``ablab report``.

Importing this package needs no web server libraries: ``create_app`` lives in
:mod:`ablab.web.app`, which needs the ``web`` extra (FastAPI, uvicorn, python-multipart).
"""
