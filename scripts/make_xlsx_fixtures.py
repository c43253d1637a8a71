#!/usr/bin/env python3
"""Writes the Excel workbooks of tests/data/xlsx/ from their CSV twins in tests/data/.

Each workbook holds the same orders as a committed CSV file, stored the ways a store's export or
a spreadsheet user stores them, so a test can check that the .xlsx reads exactly like its twin:

- online-retail-slice.xlsx  (twin online-retail-slice.csv): dates as date cells (Excel serial
  numbers formatted as dates, with times), numbers as numbers, ids as numbers or text.
- kiotviet-titled.xlsx      (twin kiotviet-invoices-titled.csv): a title block of merged cells
  and a blank row above the header; dates as text; "Khách cần trả" as numbers stored as text;
  formatted but empty cells right of the table and below it.
- two-sheets.xlsx           (twin sapo-orders.csv): a first sheet of notes without a header, the
  orders on the second sheet; dates as plain serial numbers (General format); quantities as text.
- haravan-1904.xlsx         (twin haravan-orders.csv): the 1904 date system (old Excel for Mac),
  dates as date cells.

- orders-csv.zip            a ZIP archive holding a CSV file: no workbook, refused with a message.

The committed .xlsx files are what the tests read, so a clean clone needs no Python:
run this (`pip install openpyxl`) only to change them.
"""

import csv
import io
import datetime
import pathlib
import re
import zipfile

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.datetime import CALENDAR_MAC_1904

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
OUT = DATA / "xlsx"
# Fixed document and ZIP entry times, so the workbooks change only when their content does.
WRITTEN = datetime.datetime(2024, 6, 1, 12, 0, 0)


def read_twin(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def new_workbook():
    book = Workbook()
    book.properties.created = WRITTEN
    book.properties.modified = WRITTEN
    return book


def number(text):
    """A CSV field as the number Excel would store, or the text itself."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value.is_integer() and "." not in text else value


def excel_serial(moment, epoch=datetime.datetime(1899, 12, 30)):
    return (moment - epoch).total_seconds() / 86400


def save(book, name):
    """Saves the workbook dated WRITTEN: its ZIP entries and its modified time, which openpyxl
    sets to the time of saving."""
    OUT.mkdir(exist_ok=True)
    written = io.BytesIO()
    book.save(written)
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(OUT / name, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            dated = zipfile.ZipInfo(entry.filename, date_time=WRITTEN.timetuple()[:6])
            content = source.read(entry)
            if entry.filename == "docProps/core.xml":
                stamp = WRITTEN.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(dated, content, zipfile.ZIP_DEFLATED)
    print(f"tests/data/xlsx/{name}: {(OUT / name).stat().st_size} bytes")


def online_retail():
    header, *rows = read_twin("online-retail-slice.csv")
    book = new_workbook()
    sheet = book.active
    sheet.title = "Online Retail"
    sheet.append(header)
    for invoice, stock, description, quantity, date, price, customer, country in rows:
        sheet.append([
            number(invoice),
            stock,
            description,
            number(quantity),
            datetime.datetime.strptime(date, "%Y-%m-%d %H:%M:%S"),
            number(price),
            float(customer) if customer else None,
            country,
        ])
    for cell in sheet["E"][1:]:
        cell.number_format = "yyyy-mm-dd hh:mm"
    save(book, "online-retail-slice.xlsx")


def kiotviet_titled():
    rows = read_twin("kiotviet-invoices-titled.csv")
    title, date_range, blank, header, *data = rows
    book = new_workbook()
    sheet = book.active
    sheet.title = "Hóa đơn"
    width = len(header)
    sheet.append([title[0]])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([date_range[0]])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    sheet.append([])
    sheet.append(header)
    as_text = {"Mã khách hàng", "Điện thoại", "Thời gian", "Khách cần trả", "Mã hàng"}
    for row in data:
        sheet.append([
            value if name in as_text or value == "" else number(value)
            for name, value in zip(header, row)
        ])
    # Formatted but empty: two columns right of the table, three rows below it.
    shade = PatternFill("solid", fgColor="FFF2CC")
    last = sheet.max_row
    for r in range(4, last + 4):
        for c in (width + 1, width + 2):
            sheet.cell(row=r, column=c).fill = shade
    for r in range(last + 1, last + 4):
        sheet.cell(row=r, column=1).fill = shade
    save(book, "kiotviet-titled.xlsx")


def two_sheets():
    header, *rows = read_twin("sapo-orders.csv")
    book = new_workbook()
    notes = book.active
    notes.title = "Hướng dẫn"
    notes.append(["Xuất từ Sapo ngày 01/06/2024"])
    notes.append(["Danh sách đơn hàng ở trang tính bên cạnh."])
    orders = book.create_sheet("Đơn hàng")
    orders.append(header)
    date_column = header.index("Ngày tạo đơn")
    quantity_column = header.index("Số lượng")
    for row in rows:
        cells = [number(value) for value in row]
        cells[date_column] = excel_serial(datetime.datetime.strptime(row[date_column], "%Y-%m-%d %H:%M"))
        cells[quantity_column] = row[quantity_column]
        for text_column in ("Mã khách hàng", "Số điện thoại"):
            cells[header.index(text_column)] = row[header.index(text_column)]
        orders.append(cells)
    save(book, "two-sheets.xlsx")


def haravan_1904():
    header, *rows = read_twin("haravan-orders.csv")
    book = new_workbook()
    book.epoch = CALENDAR_MAC_1904
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(header)
    date_column = header.index("Ngày đặt hàng")
    for row in rows:
        cells = list(row)
        cells[date_column] = datetime.datetime.strptime(row[date_column], "%d/%m/%Y %H:%M")
        for name in ("Số lượng", "Đơn giá", "Tổng cộng"):
            column = header.index(name)
            cells[column] = int(row[column].replace(".", ""))
        sheet.append(cells)
    for cell in sheet.iter_cols(min_col=date_column + 1, max_col=date_column + 1, min_row=2).__next__():
        cell.number_format = "dd/mm/yyyy hh:mm"
    save(book, "haravan-1904.xlsx")


def zipped_csv():
    archive = OUT / "orders-csv.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        info = zipfile.ZipInfo("orders.csv", date_time=WRITTEN.timetuple()[:6])
        z.writestr(info, (DATA / "haravan-orders.csv").read_bytes(), zipfile.ZIP_DEFLATED)
    print(f"tests/data/xlsx/{archive.name}: {archive.stat().st_size} bytes")


if __name__ == "__main__":
    online_retail()
    kiotviet_titled()
    two_sheets()
    haravan_1904()
    zipped_csv()
