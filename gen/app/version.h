/* version.h — zhibu's version: printed by --version, part of every fingerprint. */
#ifndef ZHIBU_VERSION_H
#define ZHIBU_VERSION_H

#ifndef ZHIBU_VERSION
#define ZHIBU_VERSION "1.0.0"
#endif

#endif
