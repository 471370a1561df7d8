// libxlsxwriter (Debian: libxlsxwriter-dev), found with pkg-config "xlsxwriter".
#include <xlsxwriter.h>
