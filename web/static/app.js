/* global document, FormData, HTMLFormElement, fetch, URL, setTimeout, location */
// Small progressive enhancement: forms marked data-api are sent as JSON with the session's CSRF token;
// the server's Vietnamese message (e.g. an edit conflict) is shown, and the page reloads after a success.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute('content') : '';
  var toast = document.getElementById('toast');
  function show(text, isError) {
    if (!toast) return;
    toast.textContent = text;
    toast.className = isError ? 'show error' : 'show';
  }
  function toObject(form) {
    var out = {};
    new FormData(form).forEach(function (value, key) {
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        out[key] = [].concat(out[key], value);
      } else {
        out[key] = value;
      }
    });
    return out;
  }
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
    ev.preventDefault();
    // A button may send the same form elsewhere (e.g. "only check" next to "check and save").
    var submitter = ev.submitter && ev.submitter.dataset ? ev.submitter : null;
    var url = (submitter && submitter.dataset.api) || form.dataset.api;
    var stay = Boolean(submitter && submitter.dataset.stay);
    var button = submitter || form.querySelector('button[type="submit"]');
    var problems = form.querySelector('[data-problems]');
    if (problems) problems.textContent = '';
    if (button) button.disabled = true;
    fetch(url, {
      method: form.dataset.method || 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, accept: 'application/json' },
      body: JSON.stringify(toObject(form)),
      credentials: 'same-origin',
    })
      .then(function (res) {
        if (res.ok && form.dataset.download) {
          var name = (res.headers.get('content-disposition') || '').replace(/.*filename="?([^"]+)"?.*/, '$1') || 'tai-lieu';
          return res.blob().then(function (blob) {
            var a = document.createElement('a');
            a.href = URL.createObjectURL(blob);
            a.download = name;
            document.body.appendChild(a);
            a.click();
            a.remove();
            show('Đã tạo tệp ' + name, false);
            setTimeout(function () { location.reload(); }, 1500);
          });
        }
        return res.json().then(function (body) {
          if (!res.ok) {
            if (problems && body.details) {
              // Long lists (file:line problems) go under the form, where they can be read while fixing.
              show(body.error || 'Có lỗi xảy ra', true);
              var list = document.createElement('ul');
              list.className = 'error';
              body.details.forEach(function (d) {
                var li = document.createElement('li');
                li.textContent = d.message;
                list.appendChild(li);
              });
              problems.appendChild(list);
              return;
            }
            var detail = body.details ? ': ' + body.details.map(function (d) { return d.message; }).join('; ') : '';
            show((body.error || 'Có lỗi xảy ra') + detail, true);
            return;
          }
          show(body.message || 'Đã lưu', false);
          if (stay) return;
          setTimeout(function () { location.reload(); }, 800);
        });
      })
      .catch(function () { show('Không kết nối được máy chủ', true); })
      .finally(function () { if (button) button.disabled = false; });
  });
})();
