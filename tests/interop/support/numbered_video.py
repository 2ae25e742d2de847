"""Video frames that say which frame they are, for aiortc publishers and viewers.

Each frame carries its number as two rows of 6 white (1) / black (0) blocks over a red band (left)
and a blue band (right), so a viewer can tell a decoded frame of ours from a black or garbled
one, and count which frames of the publisher it decoded. Shared by the interop tests and
tools/webrtc-check.
"""

import asyncio
import contextlib
import time

import numpy
from aiortc import VideoStreamTrack
from aiortc.mediastreams import MediaStreamError
from av import VideoFrame

WIDTH, HEIGHT = 320, 240
BITS = 12  # frame number bits, in two rows of 6 blocks
BLOCK_W = WIDTH // 6


def draw(number):
    """A frame that says `number`, with a green square moving across the colour bands."""
    image = numpy.zeros((HEIGHT, WIDTH, 3), numpy.uint8)
    for bit in range(BITS):
        row, col = divmod(bit, 6)
        if (number >> bit) & 1:
            image[row * 80:(row + 1) * 80, col * BLOCK_W:(col + 1) * BLOCK_W] = 255
    image[160:, :WIDTH // 2] = (220, 30, 30)
    image[160:, WIDTH // 2:] = (30, 30, 220)
    x = (number * 4) % (WIDTH - 40)
    image[180:220, x:x + 40] = (30, 220, 30)
    return image


def read(image):
    """The number a decoded frame says, or None when it is not one of ours (black, garbled)."""
    number = 0
    for bit in range(BITS):
        row, col = divmod(bit, 6)
        block = image[row * 80 + 15:(row + 1) * 80 - 15, col * BLOCK_W + 12:(col + 1) * BLOCK_W - 12]
        mean = float(block.mean())
        if mean > 180:
            number |= 1 << bit
        elif mean > 75:
            return None
    red = image[230:238, 10:40].reshape(-1, 3).mean(axis=0)
    blue = image[230:238, WIDTH - 40:WIDTH - 10].reshape(-1, 3).mean(axis=0)
    if not (red[0] > 150 and red[2] < 90 and blue[2] > 150 and blue[0] < 90):
        return None
    return number


class NumberedVideoTrack(VideoStreamTrack):
    """A publisher's video track: frame n says n (modulo 2^BITS); remembers when it sent each."""

    def __init__(self):
        super().__init__()
        self.sent = 0
        self.sent_at = {}

    async def recv(self):
        pts, time_base = await self.next_timestamp()
        number = self.sent
        self.sent += 1
        self.sent_at[number] = time.monotonic()
        frame = VideoFrame.from_ndarray(draw(number % (1 << BITS)), format="rgb24")
        frame.pts = pts
        frame.time_base = time_base
        return frame


class FrameCounter:
    """A viewer's side: reads the numbers of the frames it decodes (the first decode time of
    each), and counts the decoded frames that are not ours and the audio frames."""

    def __init__(self):
        self.frames = {}  # frame number -> first decode time (time.monotonic())
        self.first_at = None
        self.garbled = 0
        self.audio = 0
        self.tasks = []

    def attach(self, pc):
        """Consumes every track `pc` receives from now on."""
        pc.on("track", lambda track: self.tasks.append(
            asyncio.ensure_future(self.consume(track))))

    async def consume(self, track):
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await track.recv()
                if track.kind == "audio":
                    self.audio += 1
                    continue
                number = read(frame.to_ndarray(format="rgb24"))
                now = time.monotonic()
                if number is None:
                    self.garbled += 1
                    continue
                if self.first_at is None:
                    self.first_at = now
                self.frames.setdefault(number, now)

    def cancel(self):
        for task in self.tasks:
            task.cancel()

    def decoded(self, last_sent):
        """(wanted, got, ratio): the frames from the first decoded one to `last_sent`, how many
        of them were decoded, and the share."""
        wanted = range(min(self.frames), last_sent + 1) if self.frames else range(0)
        got = sum(1 for n in wanted if n in self.frames)
        return wanted, got, got / max(1, len(wanted))
