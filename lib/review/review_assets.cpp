// The review page's style sheet and script, inlined into every page (docs/review.md). Plain CSS
// and plain JavaScript: no library, no font, no request to anywhere.
#include "review/review_detail.hpp"

namespace gp::review::detail {

const std::string_view page_css = R"css(
:root{--ink:#1d2330;--muted:#5b6474;--line:#d9dde5;--bg:#fff;--soft:#f4f6f9;--take:#c0392b;
--keep:#5b7fa6;--warn:#a15c00;--ok:#237a3b}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:16px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:1.6em 0 .4em;border-bottom:1px solid
var(--line);padding-bottom:.2em}h3{font-size:1em;margin:1em 0 .3em}
.meta{color:var(--muted);font-size:.9em}.meta code{font-size:.85em;word-break:break-all}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px;margin:.8em 0}
.card{background:var(--soft);border-radius:6px;padding:8px 10px}
.card b{display:block;font-size:1.5em}.card span{color:var(--muted);font-size:.85em}
.card.perm b{color:var(--take)}
ul.says li{margin:.2em 0}
.perm-badge{display:inline-block;font-size:.75em;font-weight:600;color:#fff;background:var(--take);
border-radius:3px;padding:0 4px;margin-left:4px;vertical-align:1px}
.note{background:#fff7e6;border-left:4px solid var(--warn);padding:6px 10px;margin:.6em 0}
.rule{border:1px solid var(--line);border-radius:6px;padding:8px 12px;margin:.6em 0}
.rule p{margin:.3em 0}
svg{width:100%;max-width:720px;height:auto;display:block}
svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9em}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--soft);white-space:nowrap}
th button{font:inherit;font-weight:600;background:none;border:0;padding:0;cursor:pointer;color:inherit}
td.num,th.num{text-align:right}
.controls{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin:.5em 0}
.controls input[type=search]{flex:1 1 220px;padding:6px;font:inherit;border:1px solid var(--line);
border-radius:4px}
.controls button{font:inherit;padding:4px 10px}
.state-done{color:var(--ok)}.state-failed{color:var(--take);font-weight:600}
.state-skipped,.state-partly{color:var(--warn)}
@media (max-width:600px){body{font-size:14px}main{padding:8px}td,th{padding:3px}}
@media print{.controls,noscript{display:none}main{max-width:none}h2{break-after:avoid}
.rule,.card{break-inside:avoid}}
)css";

// Reads the data block, draws the tables (pages of 50 rows), sorts and searches them. Marks
// <body data-ready="1"> when done, records script errors and Content-Security-Policy violations
// in data-errors and the resources it fetched in data-resources (the tests read them).
const std::string_view page_js = R"js(
(function(){
"use strict";
var body=document.body;
function record(text){body.dataset.errors=(body.dataset.errors||"")+text+"\n";}
window.addEventListener("error",function(e){record(e.message||"error");});
document.addEventListener("securitypolicyviolation",function(e){record("blocked by the page's "+
"Content-Security-Policy: "+e.blockedURI);});
var data=JSON.parse(document.getElementById("gp-data").textContent);
var ACTION={T:"delete {n} ticket(s)",A:"delete {n} archived ticket(s)",CH:"delete contact (hard)",
CS:"delete contact (soft)",M:"mark pending since {n}",X:"clear the pending mark",
P:"purge the soft-deleted contact"};
var PERMANENT={A:1,CH:1,P:1};
function stepText(code){var m=/^([A-Z]+)(.*)$/.exec(code);var k=m[1];
var t=(ACTION[k]||code).replace("{n}",m[2]);return {t:t,p:!!PERMANENT[k]};}
function el(tag,cls,text){var e=document.createElement(tag);if(cls){e.className=cls;}
if(text!==undefined){e.textContent=text;}return e;}
// A paged table over `rows`; searchText(row) is computed on the first search and kept; isPerm,
// when given, backs the "permanent steps only" filter.
function Table(root,cols,rows,searchText,isPerm){
  var texts=null;
  var state={page:0,size:50,sort:-1,dir:1,q:"",perm:false,view:rows};
  var controls=el("div","controls");
  var search=el("input");search.type="search";search.placeholder="Search: id, email, rule, reason";
  search.setAttribute("aria-label","search the table");
  var prev=el("button",null,"\u2039 Previous"),next=el("button",null,"Next \u203a");
  var info=el("span","meta");
  controls.appendChild(search);
  if(isPerm){var lab=el("label");var box=el("input");
    box.type="checkbox";lab.appendChild(box);lab.appendChild(document.createTextNode(
    " permanent steps only"));controls.appendChild(lab);
    box.addEventListener("change",function(){state.perm=box.checked;filter();});}
  controls.appendChild(prev);controls.appendChild(next);controls.appendChild(info);
  var wrap=el("div","scroll"),table=el("table"),thead=el("thead"),tbody=el("tbody");
  var hr=el("tr");
  cols.forEach(function(c,i){var th=el("th",c.num?"num":null);var b=el("button",null,c.name);
    b.addEventListener("click",function(){state.dir=state.sort===i?-state.dir:1;state.sort=i;
    sort();draw();});th.appendChild(b);hr.appendChild(th);});
  thead.appendChild(hr);table.appendChild(thead);table.appendChild(tbody);wrap.appendChild(table);
  root.appendChild(controls);root.appendChild(wrap);
  function filter(){var q=state.q.toLowerCase();
    if(q&&!texts){texts=new Map();rows.forEach(function(r){texts.set(r,searchText(r));});}
    state.view=rows.filter(function(r){if(state.perm&&!isPerm(r)){return false;}
    return !q||texts.get(r).indexOf(q)>=0;});sort();state.page=0;draw();}
  // Each key computed once per sort, not once per comparison.
  function sort(){if(state.sort<0){return;}var c=cols[state.sort],d=state.dir;
    var keyed=state.view.map(function(r){return [c.key(r),r];});
    keyed.sort(function(a,b){return a[0]<b[0]?-d:a[0]>b[0]?d:0;});
    state.view=keyed.map(function(k){return k[1];});}
  function draw(){var n=state.view.length,pages=Math.max(1,Math.ceil(n/state.size));
    state.page=Math.min(state.page,pages-1);tbody.textContent="";
    var start=state.page*state.size;
    state.view.slice(start,start+state.size).forEach(function(r){var tr=el("tr");
      cols.forEach(function(c){var td=el("td",c.num?"num":null);c.cell(td,r);tr.appendChild(td);});
      tbody.appendChild(tr);});
    info.textContent=n===0?"no row":"rows "+(start+1)+"\u2013"+Math.min(n,start+state.size)+
      " of "+n+" (page "+(state.page+1)+" of "+pages+")";
    prev.disabled=state.page===0;next.disabled=state.page>=pages-1;}
  search.addEventListener("input",function(){state.q=search.value;filter();});
  prev.addEventListener("click",function(){state.page--;draw();});
  next.addEventListener("click",function(){state.page++;draw();});
  root.dataset.rows=rows.length;draw();
  return {search:function(q){search.value=q;state.q=q;filter();}};
}
// Rows stay the data block's arrays: nothing is built per row until it is drawn or searched.
var PERMANENT_CODE=/(^| )(A[0-9]+|CH|P)( |$)/;
function stepsOf(r){return r[4]?r[4].split(" ").map(stepText):[];}
function rulesOf(r){return r[2].map(function(i){return data.rules[i];}).join(", ");}
function stateOf(r){return r.length>5?data.states[r[5]]:"";}
var cols=[{name:"Contact",num:true,key:function(r){return r[0];},cell:function(td,r){
  td.textContent=r[0];}},
 {name:"Email (masked)",key:function(r){return r[1]||"";},cell:function(td,r){
  td.textContent=r[1]||"\u2014";}},
 {name:"Rules",key:rulesOf,cell:function(td,r){td.textContent=rulesOf(r);}},
 {name:"Reason",key:function(r){return r[3];},cell:function(td,r){td.textContent=r[3];}},
 {name:"Steps",perm:true,key:function(r){return (PERMANENT_CODE.test(r[4])?"0":"1")+r[4];},
  cell:function(td,r){stepsOf(r).forEach(function(s,i){if(i){td.appendChild(el("br"));}
  td.appendChild(document.createTextNode(s.t));if(s.p){td.appendChild(el("span","perm-badge",
  "permanent"));}});}}];
if(data.states.length){cols.push({name:"Done?",key:stateOf,cell:function(td,r){
  var st=stateOf(r);td.textContent=st;td.className="state-"+st.split(" ")[0];}});}
var entryTable=new Table(document.getElementById("entries"),cols,data.entries,function(r){
  return (r[0]+" "+(r[1]||"")+" "+rulesOf(r)+" "+r[3]+" "+stepsOf(r).map(function(s){
  return s.t;}).join(" ")+" "+stateOf(r)).toLowerCase();},function(r){
  return PERMANENT_CODE.test(r[4]);});
// review.html#search=TEXT opens with the entries table searched: a link to one contact's entry.
var wanted=/^#search=(.*)$/.exec(location.hash);
if(wanted){var q=wanted[1];try{q=decodeURIComponent(q);}catch(e){/* as typed */}
  entryTable.search(q);}
function reasonOf(r){return data.reasons[r[1]];}
new Table(document.getElementById("protected-table"),[
 {name:"Contact",num:true,key:function(r){return r[0];},cell:function(td,r){
  td.textContent=r[0];}},
 {name:"Protected by",key:reasonOf,cell:function(td,r){td.textContent=reasonOf(r);}},
 {name:"Detail",key:function(r){return r[2];},cell:function(td,r){
  td.textContent=r[2]||"\u2014";}}],data["protected"],function(r){
  return (r[0]+" "+reasonOf(r)+" "+r[2]).toLowerCase();},null);
body.dataset.renderMs=Math.round(performance.now());
body.dataset.ready="1";
// Anything the page fetched (it should fetch nothing), once the page has loaded.
window.addEventListener("load",function(){body.dataset.resources=
performance.getEntriesByType("resource").length;});
})();
)js";

}  // namespace gp::review::detail
