"""The image identity read from the ECS task metadata endpoint, served by a real local HTTP server."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from svgai.ecs_metadata import read_image_identity

DIGEST = "sha256:" + "a" * 64


@pytest.fixture()
def metadata_server():
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            if self.path == "/v4/task-1":
                body = json.dumps({"Name": "svg-ai", "Image": "registry/svg-ai@" + DIGEST, "ImageID": DIGEST}).encode()
                self.send_response(200)
            else:
                body = b"not found"
                self.send_response(404)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_reads_image_and_digest_from_ecs(metadata_server):
    identity = read_image_identity({"ECS_CONTAINER_METADATA_URI_V4": metadata_server + "/v4/task-1"}, "local")
    assert identity.image == "registry/svg-ai@" + DIGEST
    assert identity.image_id == DIGEST


def test_falls_back_to_the_image_tag_without_the_endpoint():
    identity = read_image_identity({}, "svg-ai:1.2.0")
    assert (identity.image, identity.image_id) == ("svg-ai:1.2.0", None)


def test_falls_back_when_the_endpoint_fails(metadata_server):
    identity = read_image_identity({"ECS_CONTAINER_METADATA_URI_V4": metadata_server + "/v4/missing"}, "local")
    assert (identity.image, identity.image_id) == ("local", None)
