import { loadConfig } from '../../src/config';

describe('QUEUE_PREFIX when unset', () => {
  it('is the data directory\'s own on the embedded database, so two installs on one Redis never work each other\'s jobs', () => {
    const a = loadConfig({ DATA_DIR: '/srv/shop-a/data' }).QUEUE_PREFIX;
    const b = loadConfig({ DATA_DIR: '/srv/shop-b/data' }).QUEUE_PREFIX;
    expect(a).toMatch(/^carebeat-[0-9a-f]{8}$/);
    expect(b).not.toBe(a);
    // stable across restarts, and a relative DATA_DIR means the same directory as its absolute path
    expect(loadConfig({ DATA_DIR: '/srv/shop-a/data' }).QUEUE_PREFIX).toBe(a);
    expect(loadConfig({ DATA_DIR: './data' }).QUEUE_PREFIX).toBe(loadConfig({ DATA_DIR: `${process.cwd()}/data` }).QUEUE_PREFIX);
  });

  it('is `carebeat` on PostgreSQL (the roles of one deployment meet on the same queues), and a set one is kept', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/shop' }).QUEUE_PREFIX).toBe('carebeat');
    expect(loadConfig({ QUEUE_PREFIX: 'mine' }).QUEUE_PREFIX).toBe('mine');
  });
});
