FROM node:22
USER Containeame log4j*-$version.jar | xargs rm -f; done
RUN n $NODE_VERSION && npm install -g grunt
FROM python:3.12
ENV PIP_CACHE_DIR="/tmp/pip cache"
RUN pip install flask
