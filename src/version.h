/* The release of inbeeld; the schema version comes from the migrations compiled in. */
#ifndef INBEELD_VERSION_H
#define INBEELD_VERSION_H

#define INBEELD_VERSION "0.1.0"

#endif
