/* First touch vs second pass of a fresh MAP_SHARED file mapping: ftruncate, optionally posix_fallocate (argv[2]
 * present), mmap, memset twice. Run by scripts/first-touch.sh on tmpfs and hugetlbfs (docs/TUNING.md). */
#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int c,char**v){ size_t n=(size_t)96<<20; /* 48 hugepages: fits the 64 that the tuning runs reserved */ int fd=open(v[1],O_RDWR|O_CREAT|O_EXCL,0600); if(fd<0){perror("open");return 1;}
 if(ftruncate(fd,n)){perror("ftruncate");return 1;} int fa=c>2?posix_fallocate(fd,0,n):0; if(fa){printf("fallocate %d\n",fa);return 1;}
 double t0=now(); char*p=mmap(0,n,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0); double t1=now(); memset(p,1,n); double t2=now(); memset(p,2,n); double t3=now();
 printf("%s%s: mmap %.1f ms, first touch %.2f GiB/s, second pass %.2f GiB/s\n", v[1], c>2?" (fallocate first)":"", (t1-t0)*1e3, n/(t2-t1)/(1<<30), n/(t3-t2)/(1<<30)); munmap(p,n); unlink(v[1]); }
