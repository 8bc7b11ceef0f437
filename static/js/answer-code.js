// A letter's QR code opens the answer page with the access code after "#"
// (/surveys/answer/#XXXX-XXXX-XXXX). Browsers never send that part, so no
// server, proxy or access log sees the code. It is put into the form, taken
// out of the address and the history, and posted. Without JavaScript the
// resident types the code printed beside the QR code.
(function () {
  "use strict";
  var code = window.location.hash.replace(/^#(code=)?/, "");
  if (!code) return;
  window.history.replaceState(null, "", window.location.pathname);
  try {
    code = decodeURIComponent(code);
  } catch (error) {
    return;
  }
  var form = document.getElementById("code-form");
  var input = form && form.querySelector('input[name="code"]');
  if (!input) return;
  input.value = code;
  form.submit();
})();
