// The upload form: one submission only, and the upload's progress while the file is sent.
// Without this script the form still posts as a plain HTML form.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;
  var button = document.getElementById("upload-button");
  var status = document.getElementById("upload-progress");
  var bar = status.querySelector("progress");
  var percent = status.querySelector("span");

  function show(page) {
    // The server answered with a page (the receipt, or the form with its error): show it.
    document.open();
    document.write(page);
    document.close();
  }

  form.addEventListener("submit", function (event) {
    if (!form.checkValidity()) return;
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    button.textContent = "正在上传…";
    status.hidden = false;
    var request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      var done = Math.round((e.loaded / e.total) * 100);
      bar.value = done;
      percent.textContent = done + "%";
      if (done >= 100) percent.textContent = "已上传，正在校验入库…";
    });
    request.addEventListener("load", function () {
      if (request.responseURL && request.responseURL !== form.action) {
        window.location.assign(request.responseURL);  // the batch's receipt page
      } else {
        show(request.responseText);
      }
    });
    request.addEventListener("error", function () {
      button.disabled = false;
      button.textContent = "上传并校验";
      percent.textContent = "网络中断，上传未完成，请重新上传";
    });
    request.send(new FormData(form));
  });
})();
