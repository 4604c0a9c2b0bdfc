/** The login form: plain HTML, no script, so it works before anything else loads. */
export function loginPage({ next, problem }: { next: string; problem?: string }): string {
  const error =
    problem === undefined
      ? ''
      : `<p class="error" role="alert" id="login-problem">${escapeHtml(problem)}</p>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Log in · comfyrelay console</title>
<link rel="stylesheet" href="/assets/console.css">
</head>
<body>
<main class="login">
<h1>comfyrelay console</h1>
<form method="post" action="/login">
${error}
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label for="token">Access token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus${problem === undefined ? '' : ' aria-invalid="true" aria-describedby="login-problem"'}>
<button type="submit">Log in</button>
</form>
</main>
</body>
</html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] ??
      character,
  );
}
