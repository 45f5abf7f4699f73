"""The local web app (``ablab serve``); its page data comes from :mod:`ablab.views`, shared with
``ablab report``, and its templates and stylesheet (here) serve both.

Importing this package needs no web server libraries: ``create_app`` lives in
:mod:`ablab.web.app`, which needs the ``web`` extra (FastAPI, uvicorn, python-multipart).
"""
