# porchlight::docs: the document parsers (PDF, e-mail, Outlook .msg, Office, zip, HTML,
# text), personal-data spans and e-mail classes. They read untrusted bytes and nothing
# else (no store, no files), so they build on their own: the fuzz targets link only this.
find_package(PkgConfig REQUIRED)
pkg_check_modules(PORCHLIGHT_DOCS_DEPS REQUIRED IMPORTED_TARGET GLOBAL
  poppler-cpp gmime-3.0 libgsf-1 libxml-2.0 libarchive re2)
if(NOT TARGET pugixml::pugixml)
  find_package(pugixml REQUIRED)
endif()
if(NOT TARGET yaml-cpp)
  find_package(yaml-cpp REQUIRED)
endif()

add_library(porchlight_docs STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/charset.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/detect.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/pdf.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/printed_email.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/printed_date.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/mime.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/mime_header.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/mime_body.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/mbox.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg_cfb_check.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg_storage.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg_header.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg_rfc822.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/msg_rtf_compressed.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/rtf.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/office.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/office_xml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/office_ooxml.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/office_odf.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/archive.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/html.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/html_walker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/html_text.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/text_file.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/timezone.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/personal_data.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/docs/classifier.cpp)
add_library(porchlight::docs ALIAS porchlight_docs)
target_include_directories(porchlight_docs
  PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_LIST_DIR}/include> $<INSTALL_INTERFACE:include>
  PRIVATE ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(porchlight_docs
  PRIVATE PkgConfig::PORCHLIGHT_DOCS_DEPS pugixml::pugixml yaml-cpp)
