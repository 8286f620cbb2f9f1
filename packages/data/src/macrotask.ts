type Immediate = (fn: () => void) => void;

const nodeImmediate = (globalThis as { setImmediate?: Immediate }).setImmediate;

/**
 * Runs `fn` in a later macrotask, so other work (I/O, rendering) gets a turn between batches:
 * Node's setImmediate, or a MessageChannel in browsers (setTimeout(0) is clamped to 4 ms there).
 */
export const queueMacrotask: Immediate = nodeImmediate
  ? (fn) => nodeImmediate(fn)
  : (() => {
      const queue: (() => void)[] = [];
      const channel = new MessageChannel();
      channel.port1.onmessage = () => queue.shift()?.();
      return (fn: () => void) => {
        queue.push(fn);
        channel.port2.postMessage(null);
      };
    })();
