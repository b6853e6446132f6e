// The exceljs peer of bench/run.sh: exceljs's streaming reader over a
// workbook's first sheet, shared strings cached, every row and cell read.
//
//   NODE_PATH=bench/data/node/node_modules node bench/exceljs_scan.js FILE
//
// bench/run.sh installs exceljs into bench/data/node (ignored by git).
const ExcelJS = require("exceljs");

async function main(path) {
  const start = process.hrtime.bigint();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
    sharedStrings: "cache",
    hyperlinks: "ignore",
    styles: "cache",
    worksheets: "emit",
  });
  let rows = 0, cells = 0, sheets = 0;
  for await (const ws of reader) {
    if (sheets++ > 0) break;
    for await (const row of ws) {
      rows++;
      row.eachCell(() => { cells++; });
    }
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  console.log(`exceljs rows=${rows} cells=${cells} time=${(ms / 1000).toFixed(3)}s`);
}

main(process.argv[2]).catch((e) => { console.error("exceljs:", e.message); process.exit(1); });
