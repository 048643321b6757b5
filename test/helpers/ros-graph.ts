// What the tests on a real ROS 2 graph share: polling until something arrives, and the service
// clients only these tests use (rclnodejs's Node.createClient and Client).
export function until<T>(what: string, ms: number, poll: () => T | undefined): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      const v = poll();
      if (v !== undefined) return resolve(v);
      if (Date.now() - start > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
      setTimeout(tick, 50);
    };
    tick();
  });
}

export interface ServiceClient {
  waitForService(timeout?: number): Promise<boolean>;
  sendRequestAsync(request: object, options?: { timeout?: number }): Promise<object>;
}
