#!/usr/bin/python3
"""A TCP relay on 127.0.0.1 that delays every byte by DELAY_MS in each
direction, so a loopback link gets a real round-trip time (tc netem is not
available here). Prints "PORT <n>" once listening; runs until killed.

    delay-relay.py TARGET_PORT DELAY_MS"""
import asyncio
import socket
import sys


async def forward(reader, writer, delay):
    loop = asyncio.get_running_loop()
    queue = asyncio.Queue()

    async def release():
        while True:
            arrived, data = await queue.get()
            wait = arrived + delay - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            if data is None:
                writer.close()
                return
            writer.write(data)
            await writer.drain()

    sender = asyncio.create_task(release())
    try:
        while True:
            data = await reader.read(1 << 20)
            queue.put_nowait((loop.time(), data or None))
            if not data:
                break
    except ConnectionError:
        queue.put_nowait((loop.time(), None))
    await sender


async def main(target, delay):
    async def handle(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection('127.0.0.1', target)
        except OSError:
            client_writer.close()
            return
        for w in (client_writer, server_writer):
            w.get_extra_info('socket').setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        await asyncio.gather(forward(client_reader, server_writer, delay),
                             forward(server_reader, client_writer, delay),
                             return_exceptions=True)

    server = await asyncio.start_server(handle, '127.0.0.1', 0)
    print('PORT', server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


if __name__ == '__main__':
    asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]) / 1000.0))
