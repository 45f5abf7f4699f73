"""What every route gets: the app context (runs store, job queue, limits) and the page renderer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import Request
from fastapi.responses import HTMLResponse

from ablab._util.version import __version__
from ablab.views.render import render_template
from ablab.views.store import RunStore
from ablab.web.jobs import JobManager


@dataclass
class AppContext:
    """What every route needs: where runs live, the job queue, the limits."""

    store: RunStore
    jobs: JobManager
    max_upload_bytes: int
    demo_models: bool = False
    """Offer the offline fake model (``fake/heuristic``) next to the keyed ones."""

    @property
    def runs_dir(self) -> Path:
        """The runs directory served."""
        return self.store.root


def context(request: Request) -> AppContext:
    """The app's context (a FastAPI dependency)."""
    ctx: AppContext = request.app.state.ablab
    return ctx


def page(request: Request, template: str, status_code: int = 200, **values: object) -> HTMLResponse:
    """Render a page template with the values every page uses."""
    html = render_template(
        template,
        version=__version__,
        runs_dir=str(context(request).runs_dir),
        inline_css=None,
        **values,
    )
    return HTMLResponse(html, status_code=status_code)
