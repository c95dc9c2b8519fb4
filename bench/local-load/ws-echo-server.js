// The network floor of figure 6: a bare `ws` server that sends each message back as it came, in its own process.
// Prints {"websocketUrl": …} on its first line; ends on SIGTERM after closing every connection.
const { WebSocketServer } = require('ws');

const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
server.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
server.on('listening', () => process.stdout.write(`${JSON.stringify({ websocketUrl: `ws://127.0.0.1:${server.address().port}` })}\n`));
process.once('SIGTERM', () => {
  for (const client of server.clients) client.close(1001, 'going away');
  server.close(() => process.exit(0));
});
