FROM python:3.12-slim
WORKDIR /srv
COPY app requirements.txt .
RUN pip install -r requirements.txt
CMD ["python", "main.py"]
