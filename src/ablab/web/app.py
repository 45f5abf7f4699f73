"""The FastAPI application factory behind ``ablab serve``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from ablab._util.version import __version__
from ablab.views.digests import digests_available
from ablab.views.store import NotFound, RunStore
from ablab.web import routes_api, routes_digests, routes_pages
from ablab.web.context import AppContext, page
from ablab.web.jobs import JobManager
from ablab.web.security import BodySizeLimit, SameOriginWrites, SecurityHeaders
from ablab.web.uploads import DEFAULT_MAX_UPLOAD_BYTES


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def create_app(
    runs_dir: Path | str = "runs",
    *,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
    workers: int = 2,
    allowed_hosts: list[str] | None = None,
    demo_models: bool = False,
) -> FastAPI:
    """Build the app serving ``runs_dir`` (created if missing).

    ``allowed_hosts`` limits the Host header (``ablab serve`` passes the bound host and the
    localhost names, which blocks DNS-rebinding pages from driving a local server).
    ``demo_models`` adds the offline fake model to the model choices (a keyless demo of the
    language-model planners).
    """
    root = Path(runs_dir)
    root.mkdir(parents=True, exist_ok=True)
    ctx = AppContext(
        store=RunStore(root),
        jobs=JobManager(workers=workers),
        max_upload_bytes=max_upload_bytes,
        demo_models=demo_models,
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        ctx.jobs.shutdown()

    # fastapi-offline serves the Swagger UI and ReDoc assets itself: the docs work without network.
    app = FastAPIOffline(
        title="ablab",
        version=__version__,
        summary="Plan ablation studies of machine-learning papers and browse the results.",
        lifespan=lifespan,
    )
    app.state.ablab = ctx
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SameOriginWrites)
    app.add_middleware(BodySizeLimit, max_bytes=max_upload_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)

    static = resources.files("ablab.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    app.include_router(routes_api.router)
    app.include_router(routes_pages.router)
    if digests_available():
        app.include_router(routes_digests.api)
        app.include_router(routes_digests.pages)
    else:

        @app.get("/digest", include_in_schema=False)
        def digest_unavailable(request: Request) -> HTMLResponse:
            message = "Digests need the ablab.digest module, which this installation lacks."
            return page(request, "error.html", title="Digests unavailable", message=message)

    @app.exception_handler(NotFound)
    async def not_found(request: Request, exc: NotFound) -> Response:
        message = "not found"  # the detail may name paths; the client learns only that it is absent
        if _wants_json(request):
            return JSONResponse({"detail": message}, status_code=404)
        return page(request, "error.html", 404, title="Not found", message=str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _wants_json(request) or exc.status_code < 400:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return page(request, "error.html", exc.status_code, title="Error", message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            f"{'.'.join(str(part) for part in error['loc'][1:])}: {error['msg']}"
            for error in exc.errors()
        ]
        if _wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return page(request, "error.html", 422, title="Invalid request", message="; ".join(errors))

    return app
