// Whether the ports `npm start` will listen on are free, asked before anything is built: a busy
// one would otherwise fail only after the whole build, with a bare EADDRINUSE from one child.
import { createServer } from 'node:net';

/** Resolves with the error code a listener on `port` meets (EADDRINUSE, EACCES…), or undefined. */
function listenError(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err) => resolve(err.code ?? String(err)));
    // Every address, as the API and the client listen: a port taken on any one of them is taken.
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * What is wrong with the ports named by `ports` ({ SERVER_PORT: '8080', … }), one line per
 * variable, saying how to move it; empty when all are usable.
 */
export async function portProblems(ports) {
  const problems = [];
  for (const [variable, value] of Object.entries(ports)) {
    const port = Number(value);
    if (!/^\d+$/.test(value) || port < 1 || port > 65_535) {
      problems.push(`${variable}=${value} is not a port number (1–65535)`);
      continue;
    }
    const code = await listenError(port);
    if (code === 'EADDRINUSE')
      problems.push(
        `port ${port} is already in use: stop what listens there, or set ${variable} to another port`,
      );
    else if (code)
      problems.push(`port ${port} cannot be listened on (${code}): set ${variable} to another port`);
  }
  return problems;
}
