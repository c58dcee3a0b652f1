# SPDX-License-Identifier: MIT
# 1,000 (nx*ny) jittered quadrilateral districts tiling the kalemie synthetic city, for benchmarks.
import random, json, sys
nx,ny=int(sys.argv[1]),int(sys.argv[2]); out=sys.argv[3]
random.seed(2)
x0,x1,y0,y1=29.1227,29.2583,-5.9767,-5.8846  # the kalemie synth city extent
dx=(x1-x0)/nx; dy=(y1-y0)/ny
node={}
for i in range(nx+1):
    for j in range(ny+1):
        jx = 0 if i in (0,nx) else random.uniform(-0.2,0.2)*dx
        jy = 0 if j in (0,ny) else random.uniform(-0.2,0.2)*dy
        node[i,j]=(round(x0+i*dx+jx,7), round(y0+j*dy+jy,7))
feats=[]
for i in range(nx):
    for j in range(ny):
        ring=[node[i,j],node[i+1,j],node[i+1,j+1],node[i,j+1],node[i,j]]
        feats.append({"type":"Feature","properties":{"name":"D%04d"%(i*ny+j),"population":1000+(i*7+j*13)%5000},
                      "geometry":{"type":"Polygon","coordinates":[ring]}})
json.dump({"type":"FeatureCollection","features":feats},open(out,"w"))
