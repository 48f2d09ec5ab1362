// The login form without a page of JSON on a wrong token: posts the form itself and shows the refusal's text.
// Without JavaScript the form posts as it is and works the same.
'use strict';
(function () {
  const form = document.getElementById('login');
  const error = document.getElementById('login-error');
  form.addEventListener('submit', async function (submit) {
    submit.preventDefault();
    error.hidden = true;
    try {
      const answer = await fetch(form.action, {
        method: 'POST',
        body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin'
      });
      if (answer.ok) {
        window.location.replace('./'); // logged in: the cookie is set, the page is served instead of this form
        return;
      }
      let text = 'refused (' + answer.status + ')';
      try {
        text = (await answer.json()).text || text;
      } catch (notJson) {
        // keep the status
      }
      error.textContent = text;
    } catch (failure) {
      error.textContent = 'the hub did not answer: ' + failure.message;
    }
    error.hidden = false;
  });
})();
