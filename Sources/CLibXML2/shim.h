// libxml2 as Ingest uses it: the streaming reader and structured errors.
//
// Debian's libxml2 is built with ICU, so encoding.h includes the system's <unicode/ucnv.h>. Swift's
// Foundation ships its own ICU module, and any module that sees both fails to build ("UErrorCode ...
// not present in definition"). LeanPulse never touches the ICU members of libxml2's encoding structs
// (it only passes opaque pointers), so the ICU part of the headers is switched off here.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
