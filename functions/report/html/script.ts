/**
 * The page's only script (inline, allowed by the SHA-256 of this exact text in the page's CSP,
 * which allows no other script, no handler attributes and no eval): the findings filters (the
 * search looks at check, resource and message), opening the `<details>` that holds a linked
 * element (a hash that is not valid percent-encoding, such as `#%E0`, is looked up as it is),
 * the open-all buttons, and opening the coverage and change lists for printing.
 */
export const SCRIPT = String.raw`
(function(){
  function openTarget(){
    var id=location.hash.slice(1);
    try{id=decodeURIComponent(id)}catch(e){}
    var el=id&&document.getElementById(id);
    if(!el)return;
    for(var p=el.parentElement;p;p=p.parentElement)if(p.tagName==='DETAILS')p.open=true;
    el.scrollIntoView();
  }
  window.addEventListener('hashchange',openTarget);
  if(location.hash)openTarget();
  window.addEventListener('beforeprint',function(){
    Array.prototype.forEach.call(document.querySelectorAll('#coverage details,#changes details'),function(d){d.open=true});
  });
  Array.prototype.forEach.call(document.querySelectorAll('button.toggle-all'),function(b){
    b.addEventListener('click',function(){
      var all=document.querySelectorAll(b.getAttribute('data-target'));
      var open=Array.prototype.some.call(all,function(d){return !d.open});
      Array.prototype.forEach.call(all,function(d){d.open=open});
      b.textContent=open?'close all':'open all';
    });
  });
  var form=document.getElementById('filters');
  if(!form)return;
  var rows=Array.prototype.slice.call(document.querySelectorAll('#findings tbody tr'));
  var shown=document.getElementById('shown'),none=document.getElementById('no-match');
  var texts=null;
  function count(n){return String(n).replace(/\B(?=(\d{3})+(?!\d))/g,',')}
  function apply(){
    var wanted=[];
    Array.prototype.forEach.call(form.querySelectorAll('select'),function(s){
      if(s.value)wanted.push(['data-'+s.name,s.value]);
    });
    var q=form.elements.q.value.trim().toLowerCase();
    if(q&&!texts)texts=rows.map(function(tr){
      var c=tr.cells,m=c[4].firstChild;
      return (c[2].textContent+' '+c[3].textContent+' '+(m&&m.nodeType===3?m.nodeValue:'')).toLowerCase();
    });
    var n=0;
    for(var i=0;i<rows.length;i++){
      var tr=rows[i],ok=true;
      for(var j=0;ok&&j<wanted.length;j++)ok=tr.getAttribute(wanted[j][0])===wanted[j][1];
      if(ok&&q)ok=texts[i].indexOf(q)!==-1;
      if(tr.hidden===ok)tr.hidden=!ok;
      if(ok)n++;
    }
    shown.textContent=count(n);
    if(none)none.hidden=n>0;
  }
  form.addEventListener('input',apply);
  form.addEventListener('change',apply);
  form.addEventListener('submit',function(e){e.preventDefault()});
  form.addEventListener('reset',function(){setTimeout(apply,0)});
})();
`;
