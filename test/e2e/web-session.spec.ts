import { expect, test } from './fixtures';

/**
 * The login through the URL, as the operator's browser does it: the session ends up in this
 * origin's sessionStorage only, the address bar keeps neither the token nor the session, and the
 * one cookie is HttpOnly and opens the files, not the socket.
 */
test('the login leaves its session in this tab only, and a reload keeps it', async ({ app }, testInfo) => {
  test.skip(testInfo.project.name === 'electron', 'the Electron window has no login: it speaks IPC');
  // "No profiles yet" is drawn from profiles.list: the socket answered.
  await expect(app.getByText('No profiles yet.')).toBeVisible();
  const address = new URL(app.url());
  expect(address.search).toBe('');
  expect(address.hash).toBe('');
  const secret = await app.evaluate('sessionStorage.getItem("swarmdeck.session")');
  expect(secret).toMatch(/^s1\./);
  const cookies = await app.context().cookies();
  expect(cookies.map((cookie) => cookie.name)).toEqual([`swarmdeck_static_${address.port}`]);
  for (const cookie of cookies) {
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.value).not.toBe(secret);
  }

  await app.reload();
  await expect(app.getByText('No profiles yet.')).toBeVisible();
  // The host answered the reloaded page's auth with a fresh session, which the page kept.
  await expect.poll(() => app.evaluate('sessionStorage.getItem("swarmdeck.session")')).not.toBe(secret);
});
