// A Server-Sent Events client for the tests: what a browser's EventSource would receive, parsed,
// with the stream's comments (heartbeats) counted and its end noticed.
export type SseEvent = { id?: string; event: string; data: unknown };

export async function openStream(url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  let comments = 0;
  let ended = false;
  const parse = (block: string) => {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    let any = false;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        comments++;
        continue;
      }
      const at = line.indexOf(':');
      const [field, value] = at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1).replace(/^ /, '')];
      if (field === 'id') event.id = value;
      if (field === 'event') event.event = value;
      if (field === 'data') data.push(value);
      if (field === 'id' || field === 'event' || field === 'data') any = true;
    }
    if (!any) return;
    const text = data.join('\n');
    try {
      event.data = JSON.parse(text);
    } catch {
      event.data = text;
    }
    events.push(event);
  };
  const reading = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
    }
  })();
  return {
    status: res.status,
    headers: res.headers,
    events,
    /** Events of these kinds only (`profile.`, `task.`…). */
    of: (prefix: string) => events.filter((e) => e.event.startsWith(prefix)),
    lastId: () => [...events].reverse().find((e) => e.id !== undefined)?.id,
    comments: () => comments,
    ended: () => ended,
    async close() {
      controller.abort();
      await reading;
    },
  };
}

export type Stream = Awaited<ReturnType<typeof openStream>>;
