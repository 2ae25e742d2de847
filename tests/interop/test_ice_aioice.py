#!/usr/bin/python3
"""ICE interop against an independent implementation: Debian's aioice (the ICE agent of
python3-aiortc), on loopback UDP only.

1. aioice, controlling (full agent, regular nomination), against our IceServer (ICE-lite):
   aioice must complete, and data sent on its nominated pair must come back (our server echoes
   datagrams from validated tuples only).
2. Our IceClient, controlling (aggressive nomination), against aioice, controlled (full agent,
   which also checks us and so exercises the IceClient's answers): both must complete, and data
   must flow both ways on the selected pair.

Run by ctest: /usr/bin/python3 test_ice_aioice.py --build-dir BUILD --source-dir SRC
"""

import argparse
import asyncio
import json
import os
import sys

import aioice
import aioice.ice

# aioice gathers every non-loopback address of the machine; tests stay on loopback.
aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]

TIMEOUT = 10


PEERS = []


class PeerProcess:
    """tributary-ice-interop-peer, with its JSON lines read as they come."""

    def __init__(self, proc):
        self.proc = proc
        self.events = []
        PEERS.append(self)

    @classmethod
    async def start(cls, binary, *args):
        proc = await asyncio.create_subprocess_exec(
            binary, *args, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        return cls(proc)

    async def read(self):
        line = await asyncio.wait_for(self.proc.stdout.readline(), TIMEOUT)
        if not line:
            raise RuntimeError("peer exited early")
        message = json.loads(line)
        self.events.append(message)
        return message

    async def wait_event(self, name):
        for message in self.events:
            if message.get("event") == name:
                return message
        while True:
            message = await self.read()
            if message.get("event") == name:
                return message

    def send(self, command):
        self.proc.stdin.write((command + "\n").encode())

    async def finish(self):
        if self.proc.returncode is None:
            self.proc.stdin.close()
        done = await self.wait_event("done")
        await asyncio.wait_for(self.proc.wait(), TIMEOUT)
        return done

    def kill(self):
        if self.proc.returncode is None:
            self.proc.kill()


def parse_candidate(line):
    assert line.startswith("candidate:"), line
    return aioice.Candidate.from_sdp(line[len("candidate:"):])


async def aioice_against_our_ice_lite_server(binary):
    peer = await PeerProcess.start(binary, "server", "--bind", "127.0.0.1")
    conn = aioice.Connection(ice_controlling=True, components=1, use_ipv4=True, use_ipv6=False)
    try:
        info = await peer.read()
        await conn.gather_candidates()
        conn.remote_username = info["ufrag"]
        conn.remote_password = info["pwd"]
        await conn.add_remote_candidate(parse_candidate(info["candidate"]))
        await conn.add_remote_candidate(None)
        await asyncio.wait_for(conn.connect(), TIMEOUT)
        await peer.wait_event("connected")
        selected = await peer.wait_event("selected")
        local = conn.local_candidates[0]
        assert selected["remote"].endswith(":%d" % local.port), selected

        await conn.send(b"ping-through-lite")
        echoed = await asyncio.wait_for(conn.recv(), TIMEOUT)
        assert echoed == b"ping-through-lite", echoed
    finally:
        await conn.close()
    done = await peer.finish()
    assert done["requests"] >= 1, done
    for counter in ("bad_integrity", "bad_fingerprint", "unknown_username", "malformed",
                    "role_conflicts"):
        assert done[counter] == 0, (counter, done)
    print("ok: aioice (controlling) -> IceServer (lite): %d checks answered" % done["requests"])


async def our_ice_client_against_aioice(binary):
    conn = aioice.Connection(ice_controlling=False, components=1, use_ipv4=True, use_ipv6=False)
    peer = None
    try:
        await conn.gather_candidates()
        local = conn.local_candidates[0]
        peer = await PeerProcess.start(
            binary, "client", "--remote-ufrag", conn.local_username,
            "--remote-pwd", conn.local_password, "--candidate", "candidate:" + local.to_sdp())
        info = await peer.read()
        conn.remote_username = info["ufrag"]
        conn.remote_password = info["pwd"]
        await conn.add_remote_candidate(parse_candidate(info["candidate"]))
        await conn.add_remote_candidate(None)
        peer.send("start")
        await asyncio.wait_for(conn.connect(), TIMEOUT)
        connected = await peer.wait_event("connected")
        assert connected["remote"] == "127.0.0.1:%d" % local.port, connected

        hello = await asyncio.wait_for(conn.recv(), TIMEOUT)
        assert hello == b"hello", hello
        await conn.send(b"welcome")
        media = await peer.wait_event("media")
        assert media["data"] == "welcome", media
    finally:
        await conn.close()
        if peer is None:
            return
    done = await peer.finish()
    assert done["success_responses"] >= 1, done
    assert done["requests_received"] >= 1, done  # aioice's own checks, answered
    assert done["bad_integrity"] == 0 and done["role_conflicts"] == 0, done
    print("ok: IceClient (controlling) -> aioice (controlled): %d checks, %d answered"
          % (done["checks_sent"], done["requests_received"]))


async def main(binary):
    passed = failed = 0
    for test in (aioice_against_our_ice_lite_server, our_ice_client_against_aioice):
        try:
            await asyncio.wait_for(test(binary), 4 * TIMEOUT)
            passed += 1
        except Exception as e:  # report every test, then fail
            import traceback
            traceback.print_exc()
            print("FAILED: %s: %r" % (test.__name__, e))
            failed += 1
        finally:
            for peer in PEERS:  # never leave a peer behind, even after a failure
                peer.kill()
                await peer.proc.wait()
            PEERS.clear()
    print("%d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    binary = os.path.join(args.build_dir, "tests", "tributary-ice-interop-peer")
    if not os.access(binary, os.X_OK):
        print("missing %s: build the tributary-ice-interop-peer target" % binary)
        sys.exit(1)
    sys.exit(asyncio.run(main(binary)))
