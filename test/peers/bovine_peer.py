"""A bovine-herd server with one actor, and a client that speaks for that actor.

Run by test/support/bovine.ts with the venv that test/peers/install.sh makes:

  python bovine_peer.py serve --contexts FILE --db FILE --address 127.0.0.9x --port N --handle NAME
      registers NAME (once per database), prints {"actorId": …, "secret": …} on one line,
      then serves ActivityPub on http://address:port until killed.

  python bovine_peer.py client --contexts FILE --actor URL --secret SECRET
      reads one JSON request a line on stdin and answers each with one JSON line:
      {"op": "send", "activity": {…}}  posts to the actor's outbox (Moo-Auth-1);
      {"op": "inbox"}                  lists what the actor's inbox holds, each item resolved;
      {"op": "fetch", "id": URL}       an object as the actor's server has it (its proxyUrl).

Only bovine's own packages do the ActivityPub work: bovine_herd serves and delivers,
BovineClient signs and reads. This file starts them and passes JSON along.

--contexts names a JSON file of JSON-LD contexts by URL (written by test/support/bovine.ts
from Fedify's preloaded copies). The test machines reach no web site, and bovine fetches
every context it has no copy of: it would then compact with an empty one, which pyld
cannot process, and drop the activity.
"""

import argparse
import asyncio
import json
import sys
from urllib.parse import urlparse


def use_local_contexts(path: str) -> None:
    import bovine.jsonld
    from pyld import jsonld

    with open(path) as file:
        contexts = json.load(file)

    def load(url, options, **kwargs):
        if url in contexts:
            return {
                "contentType": "application/ld+json",
                "contextUrl": None,
                "documentUrl": url,
                "document": contexts[url],
            }
        return bovine.jsonld.wrapper_with_context(url, options, **kwargs)

    jsonld.set_document_loader(load)


async def register_actor(db_url: str, origin: str, handle: str) -> dict:
    from bovine.crypto import generate_ed25519_private_key, private_key_to_did_key
    from bovine_store import bovine_admin_store
    from tortoise import Tortoise

    async with bovine_admin_store(db_url=db_url, domain=origin) as store:
        await Tortoise.generate_schemas()
        name = await store.register(handle)
        secret = generate_ed25519_private_key()
        await store.add_identity_string_to_actor(name, "praxis-test", private_key_to_did_key(secret))
        actor = await store.actor_for_name(name)
        await actor.session.close()
        return {"actorId": actor.actor_object.id, "secret": secret}


def serve(args: argparse.Namespace) -> None:
    from bovine_herd import BovineHerd
    from hypercorn.asyncio import serve as hypercorn_serve
    from hypercorn.config import Config
    from quart import Quart

    db_url = f"sqlite://{args.db}"
    origin = f"http://{args.address}:{args.port}"
    print(json.dumps(asyncio.run(register_actor(db_url, origin, args.handle))), flush=True)

    app = Quart("praxis_bovine_peer")
    BovineHerd(app, db_url=db_url)
    config = Config()
    config.bind = [f"{args.address}:{args.port}"]
    config.accesslog = "-"
    config.errorlog = "-"
    asyncio.run(hypercorn_serve(app, config))


async def inbox_items(client) -> list:
    items = []
    async for item in client.inbox():
        items.append(item)
    return items


async def answer(client, request: dict) -> dict:
    if request["op"] == "send":
        response = await client.send_to_outbox(request["activity"])
        return {"status": response.status, "location": response.headers.get("location")}
    if request["op"] == "inbox":
        return {"items": await inbox_items(client)}
    if request["op"] == "fetch":
        return {"object": await client.proxy(request["id"])}
    raise ValueError(f"unknown op {request['op']}")


async def client_loop(args: argparse.Namespace) -> None:
    from bovine import BovineClient

    # With a scheme, bovine looks the did:key up over plain http (it assumes https otherwise).
    actor = urlparse(args.actor)
    domain = f"{actor.scheme}://{actor.netloc}"
    async with BovineClient(domain=domain, actor_id=args.actor, secret=args.secret) as client:
        reader = asyncio.StreamReader()
        loop = asyncio.get_running_loop()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
        print(json.dumps({"ready": True}), flush=True)
        while line := await reader.readline():
            request = json.loads(line)
            try:
                reply = {"id": request.get("id"), "ok": True, **(await answer(client, request))}
            except Exception as error:  # reported to the test, which decides
                reply = {"id": request.get("id"), "ok": False, "error": repr(error)}
            print(json.dumps(reply), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve")
    serve_parser.add_argument("--contexts", required=True)
    serve_parser.add_argument("--db", required=True)
    serve_parser.add_argument("--address", required=True)
    serve_parser.add_argument("--port", type=int, required=True)
    serve_parser.add_argument("--handle", required=True)
    client_parser = commands.add_parser("client")
    client_parser.add_argument("--contexts", required=True)
    client_parser.add_argument("--actor", required=True)
    client_parser.add_argument("--secret", required=True)
    args = parser.parse_args()
    use_local_contexts(args.contexts)
    if args.command == "serve":
        serve(args)
    else:
        asyncio.run(client_loop(args))


if __name__ == "__main__":
    main()
